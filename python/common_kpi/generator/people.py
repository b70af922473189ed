"""True companies and people: names, 法人番号, domains, industries, emails.

Everything is held as numpy arrays indexed by the true id (company index = true_company_id,
person index = true_person_id); text is rendered only when a table is written.
Industry labels are Japanese (製造業, 情報通信業, ...), identical in every system.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

INDUSTRIES = [
    "製造業", "情報通信業", "金融業・保険業", "卸売業・小売業", "医療・福祉",
    "建設業", "運輸業・郵便業", "サービス業", "不動産業",
]

# (word, romaji) lists. Katakana-only prefix + katakana suffix → name can be half-width.
_PREFIX_KANJI = [
    ("山田", "yamada"), ("東都", "toto"), ("日本", "nihon"), ("大和", "yamato"), ("北斗", "hokuto"),
    ("青葉", "aoba"), ("富士", "fuji"), ("中央", "chuo"), ("丸の内", "marunouchi"),
    ("新宿", "shinjuku"), ("三協", "sankyo"), ("昭和", "showa"), ("平和", "heiwa"), ("旭", "asahi"),
    ("朝日", "asahi-s"), ("関東", "kanto"), ("関西", "kansai"), ("九州", "kyushu"),
    ("東洋", "toyo"), ("西日本", "nishinihon"), ("湘南", "shonan"), ("横浜", "yokohama"),
    ("名古屋", "nagoya"), ("京都", "kyoto"), ("高橋", "takahashi"), ("鈴木", "suzuki"),
    ("田中", "tanaka"), ("佐藤", "sato"), ("伊藤", "ito"), ("渡辺", "watanabe"),
    ("中村", "nakamura"), ("小林", "kobayashi"), ("加藤", "kato"), ("吉田", "yoshida"),
    ("松本", "matsumoto"), ("井上", "inoue"), ("大成", "taisei"), ("光和", "kowa"),
    ("千代田", "chiyoda"), ("港", "minato"), ("北陸", "hokuriku"), ("東海", "tokai"),
    ("瀬戸内", "setouchi"), ("信越", "shinetsu"), ("日東", "nitto"), ("太平", "taihei"),
]
_PREFIX_HIRA = [
    ("さくら", "sakura"), ("ひかり", "hikari"), ("みらい", "mirai"), ("あおば", "aoba-h"),
    ("つばさ", "tsubasa"), ("やまと", "yamato-h"), ("こころ", "kokoro"), ("はやぶさ", "hayabusa"),
]
_PREFIX_KANA = [
    ("アルファ", "alpha"), ("ネクスト", "next"), ("サクラ", "sakura-k"), ("ミライ", "mirai-k"),
    ("グローバル", "global"), ("ユニバース", "universe"), ("オメガ", "omega"), ("ソニック", "sonic"),
    ("ブルー", "blue"), ("グリーン", "green"), ("スター", "star"), ("フューチャー", "future"),
    ("ライト", "light"), ("クラウド", "cloud"), ("スマート", "smart"), ("リンク", "link"),
    ("コスモ", "cosmo"), ("ノヴァ", "nova"), ("アクア", "aqua"), ("ベスト", "best"),
]
# Each entry once: the combination walk below relies on every (prefix, middle, suffix) being
# a different name, so a repeated entry would give two companies one name and one domain.
_MIDDLE = [
    ("", ""), ("東日本", "higashi"), ("総合", "sogo"),
    ("第一", "daiichi"), ("中部", "chubu"), ("国際", "kokusai"), ("ミツワ", "mitsuwa"),
]
# (word, romaji, industry index)
_SUFFIX_KANJI = [
    ("商事", "shoji", 3), ("工業", "kogyo", 0), ("製作所", "seisakusho", 0), ("建設", "kensetsu", 5),
    ("物流", "butsuryu", 6), ("運輸", "unyu", 6), ("電機", "denki", 0), ("化学", "kagaku", 0),
    ("食品", "shokuhin", 0), ("産業", "sangyo", 0), ("精機", "seiki", 0), ("不動産", "fudosan", 8),
    ("証券", "shoken", 2), ("保険", "hoken", 2), ("薬品", "yakuhin", 4), ("興業", "kogyo-k", 7),
    ("通商", "tsusho", 3), ("電子", "denshi", 0), ("情報", "joho", 1), ("印刷", "insatsu", 0),
    ("技研", "giken", 1), ("設計", "sekkei", 5), ("開発", "kaihatsu", 1), ("住宅", "jutaku", 5),
    ("百貨店", "hyakkaten", 3), ("ファイナンス", "finance", 2),
]
_SUFFIX_KANA = [
    ("システム", "system", 1), ("システムズ", "systems", 1), ("テック", "tech", 1),
    ("ソリューションズ", "solutions", 1), ("ラボ", "lab", 1), ("ワークス", "works", 7),
    ("ネットワークス", "networks", 1), ("データ", "data", 1), ("デザイン", "design", 7),
    ("パートナーズ", "partners", 7), ("エンジニアリング", "engineering", 5),
    ("メディカル", "medical", 4), ("ロジスティクス", "logistics", 6), ("フーズ", "foods", 3),
    ("ケア", "care", 4), ("リテール", "retail", 3),
]
_REGION = [
    ("", ""), ("北海道", "hokkaido"), ("東北", "tohoku"), ("四国", "shikoku"), ("沖縄", "okinawa"),
    ("山陰", "sanin"), ("南関東", "minamikanto"), ("北関東", "kitakanto"), ("近畿", "kinki"),
    ("中国", "chugoku"), ("甲信", "koshin"), ("東京", "tokyo"), ("大阪", "osaka"),
]
_TLD = [".co.jp", ".co.jp", ".co.jp", ".jp", ".com"]

FAMILY_NAMES = [
    ("佐藤", "sato"), ("鈴木", "suzuki"), ("高橋", "takahashi"), ("田中", "tanaka"), ("伊藤", "ito"),
    ("渡辺", "watanabe"), ("山本", "yamamoto"), ("中村", "nakamura"), ("小林", "kobayashi"),
    ("加藤", "kato"), ("吉田", "yoshida"), ("山田", "yamada"), ("佐々木", "sasaki"),
    ("山口", "yamaguchi"), ("松本", "matsumoto"), ("井上", "inoue"), ("木村", "kimura"),
    ("林", "hayashi"), ("斎藤", "saito"), ("清水", "shimizu"), ("山崎", "yamazaki"), ("森", "mori"),
    ("池田", "ikeda"), ("橋本", "hashimoto"), ("阿部", "abe"), ("石川", "ishikawa"),
    ("山下", "yamashita"), ("中島", "nakajima"), ("石井", "ishii"), ("小川", "ogawa"),
    ("前田", "maeda"), ("岡田", "okada"), ("長谷川", "hasegawa"), ("藤田", "fujita"),
    ("後藤", "goto"), ("近藤", "kondo"), ("村上", "murakami"), ("遠藤", "endo"), ("青木", "aoki"),
    ("坂本", "sakamoto"), ("福田", "fukuda"), ("太田", "ota"), ("西村", "nishimura"),
    ("藤井", "fujii"), ("金子", "kaneko"), ("岡本", "okamoto"), ("藤原", "fujiwara"),
    ("中野", "nakano"), ("三浦", "miura"), ("原田", "harada"), ("中川", "nakagawa"),
    ("松田", "matsuda"), ("竹内", "takeuchi"), ("小野", "ono"), ("田村", "tamura"),
    ("中山", "nakayama"), ("和田", "wada"), ("石田", "ishida"), ("森田", "morita"),
]
GIVEN_NAMES = [
    ("太郎", "taro"), ("健", "ken"), ("翔太", "shota"), ("大輔", "daisuke"), ("拓也", "takuya"),
    ("直樹", "naoki"), ("誠", "makoto"), ("浩二", "koji"), ("隆", "takashi"), ("亮", "ryo"),
    ("悠斗", "yuto"), ("蓮", "ren"), ("大樹", "daiki"), ("健太", "kenta"), ("和也", "kazuya"),
    ("達也", "tatsuya"), ("修", "osamu"), ("学", "manabu"), ("剛", "tsuyoshi"), ("陽介", "yosuke"),
    ("花子", "hanako"), ("美咲", "misaki"), ("陽子", "yoko"), ("恵", "megumi"), ("彩", "aya"),
    ("由美", "yumi"), ("愛", "ai"), ("真由美", "mayumi"), ("裕子", "yuko"), ("明美", "akemi"),
    ("さくら", "sakura"), ("結衣", "yui"), ("奈々", "nana"), ("千尋", "chihiro"), ("麻衣", "mai"),
    ("香織", "kaori"), ("智子", "tomoko"), ("直美", "naomi"), ("沙織", "saori"), ("美穂", "miho"),
    ("里美", "satomi"), ("綾香", "ayaka"), ("絵美", "emi"), ("瞳", "hitomi"), ("翼", "tsubasa"),
    ("光", "hikaru"), ("優", "yu"), ("颯太", "sota"),
]
JOB_TITLES = [
    "部長", "課長", "係長", "主任", "マネージャー", "担当", "代表取締役", "取締役",
    "営業部 部長", "マーケティング部 課長", "情報システム部 担当", "経営企画室 室長",
    "DX推進室 リーダー", "カスタマーサクセス部 マネージャー", "総務部 担当",
]
FREE_MAIL = ["gmail.com", "yahoo.co.jp", "outlook.jp"]


def corporate_number_check_digit(base12: np.ndarray) -> np.ndarray:
    """Check digit of the 法人番号: 9 - (Σ P_n × Q_n mod 9), digits counted from the right,
    Q_n = 1 for odd n and 2 for even n."""
    digits = np.stack([(base12 // 10**i) % 10 for i in range(12)], axis=1)  # P1 = rightmost
    weights = np.where(np.arange(1, 13) % 2 == 1, 1, 2)
    return 9 - (digits * weights).sum(axis=1) % 9


@dataclass
class Companies:
    name: np.ndarray          # core name without the legal form (object array of str)
    is_kana: np.ndarray       # name is pure katakana (a half-width rendering is possible)
    legal_prefix: np.ndarray  # 株式会社 goes before the name (前株) rather than after (後株)
    corporate_number: np.ndarray  # 13-digit text
    domain: np.ndarray
    industry: np.ndarray      # index into INDUSTRIES
    employees: np.ndarray

    def __len__(self) -> int:
        return len(self.name)


def make_companies(rng: np.random.Generator, n: int) -> Companies:
    prefixes = [(w, r, False) for w, r in _PREFIX_KANJI + _PREFIX_HIRA] + [
        (w, r, True) for w, r in _PREFIX_KANA]
    suffixes = [(w, r, i, False) for w, r, i in _SUFFIX_KANJI] + [
        (w, r, i, True) for w, r, i in _SUFFIX_KANA]
    n_p, n_m, n_s, n_r = len(prefixes), len(_MIDDLE), len(suffixes), len(_REGION)
    # regional names ("北海道..."), only once the plain combinations run out
    space = n_p * n_m * n_s * (1 if n <= n_p * n_m * n_s else n_r)
    # A bijective walk through the combination space: unique names as long as n <= space.
    stride = 1_000_003
    while np.gcd(stride, space) != 1:
        stride += 2
    offset = int(rng.integers(0, space))
    combo = (offset + np.arange(n, dtype=np.int64) * stride) % space
    # keep regions rare: use the region digit last
    p, rest = combo % n_p, combo // n_p
    s, rest = rest % n_s, rest // n_s
    m, r = rest % n_m, rest // n_m
    names, domains, kana, industry = [], [], [], []
    tld_pick = rng.integers(0, len(_TLD), size=n)
    for i in range(n):
        pw, pr, pk = prefixes[p[i]]
        mw, mr = _MIDDLE[m[i]]
        sw, sr, si, sk = suffixes[s[i]]
        rw, rr = _REGION[r[i]]
        names.append(rw + pw + mw + sw)
        domains.append("-".join(x for x in (rr, pr, mr, sr) if x) + _TLD[tld_pick[i]])
        kana.append(pk and sk and not mw and not rw)
        industry.append(si)
    base = rng.choice(10**11, size=n, replace=False).astype(np.int64) + 10**11 * rng.integers(
        1, 10, size=n)
    check = corporate_number_check_digit(base)
    numbers = np.array([f"{c}{b:012d}" for c, b in zip(check, base, strict=True)], dtype=object)
    employees = np.clip(np.round(np.exp(rng.normal(4.6, 1.3, size=n))), 3, 80_000).astype(np.int64)
    industry_arr = np.array(industry)
    # a share of companies get a random industry rather than the one their name suggests
    swap = rng.random(n) < 0.25
    industry_arr[swap] = rng.integers(0, len(INDUSTRIES), size=int(swap.sum()))
    return Companies(
        name=np.array(names, dtype=object),
        is_kana=np.array(kana, dtype=bool),
        legal_prefix=rng.random(n) < 0.7,
        corporate_number=numbers,
        domain=np.array(domains, dtype=object),
        industry=industry_arr,
        employees=employees,
    )


@dataclass
class People:
    company: np.ndarray   # true company index
    family: np.ndarray    # index into FAMILY_NAMES
    given: np.ndarray     # index into GIVEN_NAMES
    email: np.ndarray     # canonical email (object array)
    phone: np.ndarray
    title: np.ndarray     # index into JOB_TITLES

    def __len__(self) -> int:
        return len(self.company)


def make_people(rng: np.random.Generator, company: np.ndarray, companies: Companies) -> People:
    """People working at the given companies, with unique canonical emails."""
    n = len(company)
    family = rng.integers(0, len(FAMILY_NAMES), size=n)
    given = rng.integers(0, len(GIVEN_NAMES), size=n)
    pattern = rng.integers(0, 4, size=n)
    free = rng.random(n) < 0.04
    free_pick = rng.integers(0, len(FREE_MAIL), size=n)
    emails = []
    seen: dict[str, int] = {}
    for i in range(n):
        fr, gr = FAMILY_NAMES[family[i]][1], GIVEN_NAMES[given[i]][1]
        local = (f"{gr}.{fr}", f"{gr[0]}.{fr}", f"{fr}", f"{fr}.{gr}")[pattern[i]]
        domain = FREE_MAIL[free_pick[i]] if free[i] else companies.domain[company[i]]
        email = f"{local}@{domain}"
        k = seen.get(email, 0)
        seen[email] = k + 1
        if k:
            email = f"{local}{k + 1}@{domain}"
            while email in seen:
                k += 1
                email = f"{local}{k + 1}@{domain}"
            seen[email] = 1
        emails.append(email)
    area = rng.choice(["03", "06", "045", "052", "092", "011"], size=n)
    mobile = rng.random(n) < 0.35
    a = rng.integers(1000, 9999, size=n)
    b = rng.integers(1000, 9999, size=n)
    phones = np.array(
        [f"0{90 + (x % 3) * 0}-{x}-{y}" if mob else f"{ar}-{x}-{y}"
         for ar, x, y, mob in zip(area, a, b, mobile, strict=True)], dtype=object)
    return People(
        company=company,
        family=family,
        given=given,
        email=np.array(emails, dtype=object),
        phone=phones,
        title=rng.integers(0, len(JOB_TITLES), size=n),
    )


def family_names(idx: np.ndarray) -> np.ndarray:
    return np.array([w for w, _ in FAMILY_NAMES], dtype=object)[idx]


def given_names(idx: np.ndarray) -> np.ndarray:
    return np.array([w for w, _ in GIVEN_NAMES], dtype=object)[idx]
