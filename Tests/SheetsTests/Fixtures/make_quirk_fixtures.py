#!/usr/bin/env python3
"""Minimal workbooks that pin the reader's fixes for quirks seen in third-party files
(each named `quirk_*`). Written part by part with Python's zipfile, so that each holds
exactly the bytes of the quirk and nothing else; no other tool needed.

    python3 Tests/SheetsTests/Fixtures/make_quirk_fixtures.py
"""
import os, zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def sheet_xml(rows):
    """rows: list of lists of (ref, attrs, inner) tuples or raw strings for a whole <c>."""
    out = [DECL, f'<worksheet xmlns="{MAIN}" xmlns:r="{REL}"><sheetData>']
    for r, cells in rows:
        out.append(f'<row r="{r}">' + "".join(cells) + "</row>")
    out.append("</sheetData></worksheet>")
    return "".join(out)


def package(name, sheets, styles=None, workbook_extra="", drop=(), sheet_entries=None, extra_rels=""):
    """sheets: list of (name attribute as written in XML, state or None, sheet xml or None).
    A sheet xml of None writes no part for it (and no relationship unless extra_rels has one)."""
    files = {}
    files["[Content_Types].xml"] = (DECL + f'<Types xmlns="{CT}">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '</Types>')
    files["_rels/.rels"] = (DECL + f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
        f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    entries, rels = [], []
    for i, (sname, state, xml) in enumerate(sheets, 1):
        st = f' state="{state}"' if state else ""
        rid = f"rId{i}" if xml is not None else ""
        entries.append(f'<sheet name="{sname}" sheetId="{i}"{st} r:id="{rid}"/>')
        if xml is not None:
            rels.append(f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>')
            files[f"xl/worksheets/sheet{i}.xml"] = xml
    if sheet_entries is not None:
        entries = sheet_entries
    if styles:
        rels.append(f'<Relationship Id="rIdS" Type="{REL}/styles" Target="styles.xml"/>')
        files["xl/styles.xml"] = styles
    files["xl/workbook.xml"] = (DECL + f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>' + "".join(entries)
        + "</sheets>" + workbook_extra + "</workbook>")
    files["xl/_rels/workbook.xml.rels"] = DECL + f'<Relationships xmlns="{PKG}">' + "".join(rels) + extra_rels + "</Relationships>"
    with zipfile.ZipFile(os.path.join(HERE, name), "w", zipfile.ZIP_DEFLATED) as z:
        for part, data in files.items():
            if part in drop:
                continue
            z.writestr(zipfile.ZipInfo(part, date_time=(2020, 1, 1, 0, 0, 0)), data.encode("utf-8"),
                       compress_type=zipfile.ZIP_DEFLATED)


def num(ref, v, s=None):
    return f'<c r="{ref}"' + (f' s="{s}"' if s is not None else "") + f"><v>{v}</v></c>"


# 1. Decimals longer than a 64-bit integer: .NET writes 29 significant digits, Gnumeric 21.
LONG = ["0.26303323046962774324", "2.6303323046962774324020672609", "12345.6779999999999999",
        "0.300000000000000000011", "1234567890123456", "1234567890123456789", "12345678901234567890",
        "-123456789012345678901", "00000000000000000000012.5", "1E+308", "4.9E-324", "-0"]
package("quirk_long_decimals.xlsx", [("Số liệu", None, sheet_xml(
    [(i + 1, [f'<c r="A{i + 1}" t="inlineStr"><is><t>{v}</t></is></c>', num(f"B{i + 1}", v)]) for i, v in enumerate(LONG)]))])

# 2. `&` and other references in attribute values: sheet names, number formats.
STYLES_FMT = (DECL + f'<styleSheet xmlns="{MAIN}"><numFmts count="1">'
    '<numFmt numFmtId="164" formatCode="&quot;Ng&#224;y &quot;dd/mm/yyyy"/></numFmts>'
    '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>')
package("quirk_ampersand_names.xlsx", [
    ("5&amp;4", None, sheet_xml([(1, [num("A1", 43831, 1)])])),
    ("a&lt;b&gt; &quot;c&quot; &apos;d&apos;", None, sheet_xml([(1, [num("A1", 1)])])),
    ("&#272;&#x1EA1;i &amp;amp; T&amp;#38;", None, sheet_xml([(1, [num("A1", 2)])])),
], styles=STYLES_FMT, workbook_extra='<definedNames><definedName name="X">\'5&amp;4\'!$A$1</definedName></definedNames>')

# 3. Sheets that cannot be located. No workbook relationships part at all:
ONE = sheet_xml([(1, [num("A1", 7)])])
package("quirk_no_workbook_rels.xlsx", [("Sheet1", None, ONE), ("Sheet2", None, ONE)],
        drop=("xl/_rels/workbook.xml.rels",))
# A relationship id that the relationships part does not have:
package("quirk_unknown_relationship.xlsx", [("Sheet1", None, ONE)],
        sheet_entries=['<sheet name="Sheet1" sheetId="1" r:id="rId1"/>', '<sheet name="Lost" sheetId="2" r:id="rId9"/>'])
# `r:id=""` while a sheet part belongs to no entry (as in ClosedXML's SheetsWithoutRelId test file):
package("quirk_sheet_without_relid.xlsx", [("Sheet1", None, ONE), ("Data", None, ONE)],
        sheet_entries=['<sheet name="Sheet1" sheetId="1" r:id="rId1"/>', '<sheet name="Data" sheetId="2" r:id=""/>'])
# `r:id=""` placeholders for Excel 5 VBA modules, every sheet part accounted for (as Excel saves them):
package("quirk_vba_module_entries.xlsm", [("Sheet1", None, ONE)],
        sheet_entries=['<sheet name="Sheet1" sheetId="1" r:id="rId1"/>',
                       '<sheet name="Module1" sheetId="2" state="veryHidden" r:id=""/>'])
# A relationship whose part is absent from the package:
package("quirk_missing_sheet_part.xlsx", [("Sheet1", None, ONE)],
        extra_rels=f'<Relationship Id="rId2" Type="{REL}/worksheet" Target="worksheets/sheet9.xml"/>',
        sheet_entries=['<sheet name="Sheet1" sheetId="1" r:id="rId1"/>', '<sheet name="Gone" sheetId="2" r:id="rId2"/>'])

# 4. Formats made only of AM/PM or A/P markers are times (LibreOffice writes them).
STYLES_AMPM = (DECL + f'<styleSheet xmlns="{MAIN}"><numFmts count="4">'
    '<numFmt numFmtId="164" formatCode="A/P"/><numFmt numFmtId="165" formatCode="AM/PM"/>'
    '<numFmt numFmtId="166" formatCode="hh:mm:ss\\ AM/PM"/><numFmt numFmtId="167" formatCode="&quot;AM/PM&quot;0"/></numFmts>'
    '<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="166"/><xf numFmtId="167"/></cellXfs></styleSheet>')
package("quirk_ampm_formats.xlsx", [("Giờ", None, sheet_xml(
    [(1, [num("A1", 0.75, 1), num("B1", 0.25, 2), num("C1", 0.5, 3), num("D1", 0.5, 4)])]))], styles=STYLES_AMPM)

# The first sheet very hidden (a macro's data), the first visible one second.
package("quirk_first_sheet_very_hidden.xlsx", [
    ("Macro data", "veryHidden", sheet_xml([(1, [num("A1", 1)])])),
    ("Hidden", "hidden", sheet_xml([(1, [num("A1", 2)])])),
    ("Báo cáo", None, sheet_xml([(1, [num("A1", 3)])])),
])

# Workbook parts without the workbook part (exceljs's missing-bits test file is like this).
with zipfile.ZipFile(os.path.join(HERE, "quirk_no_workbook_part.xlsx"), "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr(zipfile.ZipInfo("xl/_rels/workbook.xml.rels", date_time=(2020, 1, 1, 0, 0, 0)),
               DECL + f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
    z.writestr(zipfile.ZipInfo("xl/worksheets/sheet1.xml", date_time=(2020, 1, 1, 0, 0, 0)), ONE)
