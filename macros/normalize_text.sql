{#-
  Width folding close to Unicode NFKC for the characters Japanese exports actually carry,
  written with translate/replace so that it runs on any engine (DuckDB has no NFKC):
  full-width ASCII and the ideographic space become ASCII, half-width katakana become
  full-width katakana (voiced and semi-voiced marks composed), enclosed 株/有 are expanded,
  runs of spaces collapse to one and the ends are trimmed. Case is left alone.
-#}
{% macro normalize_text(expression) -%}
    {%- set fullwidth_ascii = "！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～" -%}
    {%- set ascii = "!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~" -%}
    {%- set voiced = {
        "ｶﾞ": "ガ", "ｷﾞ": "ギ", "ｸﾞ": "グ", "ｹﾞ": "ゲ", "ｺﾞ": "ゴ",
        "ｻﾞ": "ザ", "ｼﾞ": "ジ", "ｽﾞ": "ズ", "ｾﾞ": "ゼ", "ｿﾞ": "ゾ",
        "ﾀﾞ": "ダ", "ﾁﾞ": "ヂ", "ﾂﾞ": "ヅ", "ﾃﾞ": "デ", "ﾄﾞ": "ド",
        "ﾊﾞ": "バ", "ﾋﾞ": "ビ", "ﾌﾞ": "ブ", "ﾍﾞ": "ベ", "ﾎﾞ": "ボ",
        "ﾊﾟ": "パ", "ﾋﾟ": "ピ", "ﾌﾟ": "プ", "ﾍﾟ": "ペ", "ﾎﾟ": "ポ",
        "ｳﾞ": "ヴ", "㈱": "(株)", "㈲": "(有)", "　": " "
    } -%}
    {%- set halfwidth_kana = "｡｢｣､･ｦｧｨｩｪｫｬｭｮｯｰｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝﾞﾟ" -%}
    {%- set fullwidth_kana = "。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン゛゜" -%}
    {%- set ns = namespace(sql="cast(" ~ expression ~ " as " ~ dbt.type_string() ~ ")") -%}
    {%- for source, target in voiced.items() -%}
        {%- set ns.sql = "replace(" ~ ns.sql ~ ", '" ~ source ~ "', '" ~ target ~ "')" -%}
    {%- endfor -%}
    nullif(trim(regexp_replace(
        translate(
            translate({{ ns.sql }}, '{{ fullwidth_ascii | replace("'", "''") }}', '{{ ascii | replace("'", "''") }}'),
            '{{ halfwidth_kana }}', '{{ fullwidth_kana }}'
        ),
        '\s+', ' ', 'g'
    )), '')
{%- endmacro %}
