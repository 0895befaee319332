#!/usr/bin/env python3
"""Makes samples/inbox: the secretariat's inbox as it stands on 5 December 2019, for the 8
district unions of Khánh Hòa, with every form, status and check of the story told in
samples/README.md. Column headers, communes and due rules are read from the plan folder,
so the samples follow the forms.

Producers: xlsxwriter (the clean template most districts fill), openpyxl (some districts),
LibreOffice headless (a hand-made layout re-saved by Calc, and an old .xls), and CSV as
Excel writes it (Windows-1258 with `;`, and "Unicode text" UTF-16).

    python3 -m pip install xlsxwriter openpyxl pyyaml
    apt-get install libreoffice-calc-nogui
    python3 samples/make_samples.py
"""
import csv, datetime as dt, io, os, random, shutil, subprocess, sys, tempfile, unicodedata

import openpyxl
import xlsxwriter
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
PLAN_DIR = os.path.join(HERE, "..", "templates", "khanh-hoa-2019")
INBOX = os.path.join(HERE, "inbox")
TMP = tempfile.mkdtemp()
FIXED_TIME = dt.datetime(2019, 12, 1, 8, 0, 0)

plan = yaml.safe_load(open(os.path.join(PLAN_DIR, "plan.yml"), encoding="utf-8"))
forms = {}
for name in os.listdir(os.path.join(PLAN_DIR, "forms")):
    f = yaml.safe_load(open(os.path.join(PLAN_DIR, "forms", name), encoding="utf-8"))
    forms[f["id"]] = f
units = [u for u in plan["units"] if u.get("active", True)]
unit_by_code = {u["code"]: u for u in units}
holidays = {dt.date.fromisoformat(str(d)) for d in plan["calendar"]["holidays"]}
register = []  # (path relative to the inbox, received date)


# ---------------------------------------------------------------- names and dates

def ascii_name(s):
    s = s.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def short(unit):
    for prefix in ("Thành phố ", "Thị xã ", "Huyện "):
        if unit["name"].startswith(prefix):
            return unit["name"][len(prefix):]
    return unit["name"]


def folder(unit):
    return ascii_name(short(unit))


def union_name(unit):
    return "Hội LHPN " + unit["kind"] + " " + short(unit)


def period_end(code):
    """Decree 09/2019 cut-off: the 14th of the period's last month."""
    if "-Q" in code:
        y, q = code.split("-Q"); return dt.date(int(y), int(q) * 3, 14)
    if "-H" in code:
        y, h = code.split("-H"); return dt.date(int(y), int(h) * 6, 14)
    if "-" in code:
        y, m = code.split("-"); return dt.date(int(y), int(m), 14)
    return dt.date(int(code), 12, 14)


def due(form_id, code, unit_code):
    for e in plan.get("exceptions", []):
        if e["unit"] == unit_code and e["form"] == form_id and str(e["period"]) == code:
            return dt.date.fromisoformat(str(e["due"]))
    rule = plan["deadlines"][form_id]
    end = period_end(code)
    if "date" in rule:
        return dt.date.fromisoformat(str(rule["date"]))
    if "working-days-after-period" in rule:
        d, left = end, rule["working-days-after-period"]
        while left:
            d += dt.timedelta(days=1)
            if d.weekday() < 5 and d not in holidays:
                left -= 1
        return d
    if "day-of-following-month" in rule:
        m = end.month % 12 + 1
        y = end.year + (1 if end.month == 12 else 0)
        return dt.date(y, m, rule["day-of-following-month"])
    return end + dt.timedelta(days=rule["days-after-period"])


def period_label(code):
    if "-Q" in code:
        y, q = code.split("-Q"); return "Quý %s/%s" % (["I", "II", "III", "IV"][int(q) - 1], y)
    if "-H" in code:
        y, h = code.split("-H"); return ("6 tháng đầu năm " if h == "1" else "6 tháng cuối năm ") + y
    if "-" in code:
        y, m = code.split("-"); return "Tháng %d/%s" % (int(m), y)
    return "Năm " + code


def received_on_time(rnd, form_id, code, unit_code):
    d = due(form_id, code, unit_code)
    # Reports of a period are sent after it ends, within the week before the due date; a
    # one-off report due before its period ends (the year's plan) within that week too.
    earliest = d - dt.timedelta(days=6)
    if period_end(code) < d:
        earliest = max(period_end(code) + dt.timedelta(days=1), earliest)
    span = (d - earliest).days
    return earliest + dt.timedelta(days=rnd.randint(0, max(span, 0)))


# ---------------------------------------------------------------- the figures

# What each district's year looks like; the targets straddle their thresholds on purpose.
PROFILE = {
    #       savings  overdue%  weak good+fair  rec.overdue rec.interest rec.misapp new  agribank  branches escaped  fem.headed direct
    "568": (0.970,   0.25,     0,   0.97,      0.36,       0.33,        0.55,      0,   1.06,     1.00,    0.80,    0.84,      2.2),
    "569": (0.962,   0.31,     0,   0.96,      0.28,       0.31,        0.52,      1,   1.04,     1.00,    0.78,    0.82,      2.1),
    "570": (0.930,   0.21,     0,   0.96,      0.34,       0.35,        0.60,      0,   1.08,     1.00,    0.76,    0.81,      2.0),
    "571": (0.965,   0.28,     0,   0.97,      0.31,       0.31,        0.51,      0,   0.97,     1.00,    0.82,    0.85,      2.4),
    "572": (0.955,   0.29,     1,   0.95,      0.33,       0.32,        0.45,      0,   1.05,     0.98,    0.74,    0.80,      2.0),
    "573": (0.850,   0.18,     0,   0.96,      0.40,       0.25,        0.58,      0,   1.10,     1.00,    0.77,    0.81,      1.5),
    "574": (0.971,   0.22,     0,   0.98,      0.37,       0.36,        0.62,      0,   1.03,     1.00,    0.79,    0.83,      2.3),
    "575": (0.780,   0.15,     0,   0.93,      0.45,       0.40,        0.70,      0,   1.12,     1.00,    0.70,    0.75,      2.0),
}
OUTSTANDING = {"568": 320000, "569": 210000, "570": 175000, "571": 168000, "572": 305000,
               "573": 118000, "574": 226000, "575": 64000}


def split(total, weights, rnd=None, decimals=0):
    """Splits a total across communes by weight; the rounding remainder goes to the last."""
    s = sum(weights)
    if decimals == 0:
        parts = [int(round(total * w / s)) for w in weights]
        parts[-1] = int(round(total)) - sum(parts[:-1])
        return parts
    parts = [round(total * w / s, decimals) for w in weights]
    parts[-1] = round(total - sum(parts[:-1]), decimals)
    return parts


def weights(unit, salt):
    rnd = random.Random("%s-%s" % (unit["code"], salt))
    return [rnd.uniform(0.6, 1.4) for _ in unit["communes"]]


def poverty_rows(unit):
    rnd = random.Random(unit["code"] + "-poverty")
    rows = []
    for c in unit["communes"]:
        poor = rnd.randint(25, 90)
        women = rnd.randint(poor // 3, poor // 2)
        female_headed = rnd.randint(women // 3, women // 2)
        registered = rnd.randint(4, 9)
        reg_fh = rnd.randint(registered // 2, registered - 1)
        esc = rnd.randint(3, 8)
        rows.append({"commune": c, "poor_households": poor, "poor_women_households": women,
                     "female_headed_poor": female_headed, "registered_2019": registered,
                     "registered_female_headed_2019": reg_fh, "grassroots_unions": 1,
                     "direct_help_female_headed": max(2, reg_fh - 1), "escaped_2018": esc,
                     "escaped_female_headed_2018": rnd.randint(1, esc),
                     "measures": rnd.choice(["Hỗ trợ vốn, cây con giống", "Dạy nghề, giới thiệu việc làm",
                                             "Trao phương tiện sinh kế", "Hỗ trợ ngày công, vốn vay"])})
    return rows


def allocate(total, weights, caps=None):
    """Whole units of `total` spread by weight, never above a slot's cap."""
    n = len(weights)
    caps = caps or [10**9] * n
    out = [min(int(total * w / sum(weights)), c) for w, c in zip(weights, caps)]
    order = sorted(range(n), key=lambda i: -weights[i])
    left = total - sum(out)
    while left > 0:
        moved = False
        for i in order:
            if left and out[i] < caps[i]:
                out[i] += 1; left -= 1; moved = True
        if not moved:
            break
    return out


def yearly_escapes(unit):
    """Per commune, the households out of poverty over the year: all, female-headed, helped
    directly by the grassroots union; sized by the district's profile against the plan."""
    p = PROFILE[unit["code"]]
    plan_rows = poverty_rows(unit)
    w = weights(unit, "escapes")
    e = allocate(round(sum(r["registered_2019"] for r in plan_rows) * p[10]), w)
    f = allocate(round(sum(r["registered_female_headed_2019"] for r in plan_rows) * p[11]), w, e)
    d = allocate(round(len(unit["communes"]) * p[12]), w, f)
    return e, f, d


def monthly_rows(unit, month):
    """Monthly figures; each commune's year of escapes out of poverty is spread over the 11
    months due by December, never more helped directly than female-headed, nor more
    female-headed than all."""
    e, f, d = yearly_escapes(unit)
    rows = []
    rnd = random.Random("%s-monthly-%d" % (unit["code"], month))
    for i, c in enumerate(unit["communes"]):
        mw = [random.Random("%s-%d-%d" % (unit["code"], i, m)).uniform(0.5, 1.5) for m in range(11)]
        em = allocate(e[i], mw)
        fm = allocate(f[i], mw, em)
        dm = allocate(d[i], mw, fm)
        k = month - 1
        rows.append({"commune": c, "outreach_sessions": rnd.randint(1, 6), "outreach_attendance": rnd.randint(40, 260),
                     "poor_women_supported": rnd.randint(0, 12), "support_value": round(rnd.uniform(2, 60), 1),
                     "training_classes": rnd.randint(0, 2), "job_referrals": rnd.randint(0, 9),
                     "startup_ideas": rnd.randint(0, 2), "new_cooperatives": rnd.choice([0, 0, 0, 1]),
                     "environment_models": rnd.choice([0, 0, 1]), "escaped_poor_women": em[k],
                     "escaped_female_headed": fm[k], "escaped_direct_help": dm[k],
                     "highlights": rnd.choice(["", "Ra mắt tổ hợp tác may mặc", "Hội thi nấu ăn ngon",
                                               "Ngày tiết kiệm vì phụ nữ nghèo", "Tập huấn kỹ thuật trồng xoài"])})
    return rows


def capital_rows(unit, code, annual):
    p = PROFILE[unit["code"]]
    base = plan["baselines"][unit["code"]]
    growth = {"2019-Q1": 0.97, "2019-Q2": 0.99, "2019-Q3": 1.01, "2019": 1.03}[code]
    rnd = random.Random("%s-capital-%s" % (unit["code"], code))
    n = len(unit["communes"])
    w = weights(unit, "capital")
    outstanding = split(OUTSTANDING[unit["code"]] * growth, w, decimals=1)
    overdue_total = round(sum(outstanding) * p[1] / 100 * (1.0 if annual else 1.1), 1)
    overdue = split(overdue_total, w, decimals=1)
    groups = [max(4, round(10 * x)) for x in w]
    members = [g * rnd.randint(30, 38) for g in groups]
    saving = [min(round(m * p[0]), m) for m in members]
    weak_total = p[2] if annual or code == "2019-Q3" else 0
    total_groups = sum(groups)
    good_fair_target = round(total_groups * p[3]) if p[3] < 0.95 else total_groups - weak_total - round(total_groups * 0.02)
    share = (annual and 1.0) or {"2019-Q1": 0.3, "2019-Q2": 0.55, "2019-Q3": 0.8}[code]
    rec_overdue = split(base["overdue"] * p[4] * share, w, decimals=1)
    rec_interest = split(base["interest_arrears"] * p[5] * share, w, decimals=1)
    rec_misapp = split((base["misappropriated"] + base["proxy_outstanding"]) * p[6] * share, w, decimals=1)
    agri = split(base["agribank_outstanding"] * (1 + (p[8] - 1) * share), w, decimals=1)
    good_fair = split(good_fair_target, w)
    rows = []
    weak_left = weak_total
    for i, c in enumerate(unit["communes"]):
        g = groups[i]
        gf = min(good_fair[i], g)
        weak = 1 if weak_left and i == n // 2 else 0
        weak_left -= weak
        gf = min(gf, g - weak)
        good = round(gf * 0.7)
        fair = gf - good
        average = g - gf - weak
        hh = round(members[i] * 0.9)
        row = {"commune": c, "outstanding": outstanding[i], "households": hh, "groups": g, "groups_good": good,
               "groups_fair": fair, "groups_average": average, "groups_weak": weak, "overdue": overdue[i],
               "overdue_recovered": rec_overdue[i], "interest_arrears": round(base["interest_arrears"] / n * (1 - p[5] * share), 1),
               "interest_recovered": rec_interest[i],
               "misappropriated": round(base["misappropriated"] / n * (1 - p[6] * share), 1),
               "proxy_cases": rnd.choice([0, 0, 1]), "proxy_outstanding": round(base["proxy_outstanding"] / n * (1 - p[6] * share), 1),
               "new_proxy_cases": 1 if p[7] and i == 0 and (annual or code == "2019-Q2") else 0,
               "new_misappropriation_cases": 0, "misappropriated_proxy_recovered": rec_misapp[i],
               "members": members[i], "members_saving": saving[i], "group_savings": round(saving[i] * rnd.uniform(0.08, 0.15), 1),
               "agribank_groups": rnd.randint(0, 3), "agribank_borrowers": rnd.randint(5, 60), "agribank_outstanding": agri[i]}
        if annual:
            branches = rnd.randint(6, 14)
            row["branches_total"] = branches
            row["branches_with_savings"] = branches
        rows.append(row)
    if annual and p[9] < 1:
        rows[0]["branches_with_savings"] -= 1
        rows[1]["branches_with_savings"] -= 1
    return rows


def savings_row(unit):
    p = PROFILE[unit["code"]]
    rnd = random.Random(unit["code"] + "-savings")
    branches = sum(random.Random("%s-b%d" % (unit["code"], i)).randint(6, 14) for i in range(len(unit["communes"])))
    members = rnd.randint(9000, 26000)
    saving = round(members * (p[0] - 0.03))
    piggy = round(rnd.uniform(80, 300), 1)
    groups = round(rnd.uniform(900, 3000), 1)
    other = round(rnd.uniform(50, 400), 1)
    return {"branches_total": branches, "branches_with_savings": branches - (2 if p[9] < 1 else 0),
            "members_total": members, "members_saving": saving, "savings_rate": round(100 * saving / members, 1),
            "rotating_groups": rnd.randint(10, 60), "rotating_members": rnd.randint(150, 900),
            "piggy_banks": rnd.randint(100, 800), "piggy_amount": piggy, "savings_via_groups": groups,
            "savings_other": other, "savings_total": round(piggy + groups + other, 1),
            "loans_from_savings": round(rnd.uniform(200, 1500), 1)}


def revolving_row(unit):
    rnd = random.Random(unit["code"] + "-revolving")
    allocated = rnd.choice([500, 800, 1000, 1200])
    opening = round(allocated * rnd.uniform(0.8, 0.9), 1)
    repaid = round(rnd.uniform(80, 280), 1)
    # Lending never takes the balance over the capital allocated.
    lent = round(min(rnd.uniform(100, 300), allocated - opening + repaid), 1)
    closing = round(opening + lent - repaid, 1)
    return {"allocated": allocated, "opening": opening, "lent": lent, "borrower_turns": rnd.randint(10, 60),
            "repaid": repaid, "closing": closing, "overdue": round(rnd.uniform(0, 5), 1),
            "escaped": rnd.randint(2, 12)}


# ---------------------------------------------------------------- writers

def columns(form_id):
    """The form's fields in the order of its file, as (key, header, unit, numeric)."""
    out = []
    for f in forms[form_id]["fields"]:
        unit = f.get("unit")
        numeric = f["type"] in ("integer", "decimal", "percent")
        out.append((f["key"], f["header"], unit, numeric, f["type"]))
    return out


def header_text(header, unit):
    return header + (" (%s)" % unit if unit in ("triệu đồng", "%") else "")


def write_clean_template(path, unit, form_id, code, rows, producer="xlsxwriter", district_line=True,
                         title_override=None, totals_from=None):
    """The layout of the province's own template: heading, title, period and unit lines, a
    header row, a row of column codes, one row per commune (or one row), a Tổng cộng row."""
    form = forms[form_id]
    cols = columns(form_id)
    per_commune = form["rows"] == "per-commune"
    title = (title_override or form["title"]).upper()
    head = [("HỘI LHPN " + unit["kind"].upper() + " " + short(unit).upper()) if district_line else "",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    lines = [title, "Kỳ báo cáo: " + period_label(code)]
    if district_line:
        lines.append("Đơn vị: " + union_name(unit))
    header = ["STT"] + [header_text(h, u) for (_, h, u, _, _) in cols]
    codes = ["A"] + ["B" if i == 0 and per_commune else str(i + (0 if per_commune else 1)) for i in range(len(cols))]
    data_start = 3 + len(lines) + 1  # 0-based row of the header
    body = []
    for i, r in enumerate(rows):
        body.append([i + 1] + [r.get(k, "") for (k, _, _, _, _) in cols])
    total = None
    if per_commune:
        source = totals_from or rows
        total = ["", "Tổng cộng"] + [round(sum(r[k] for r in source if isinstance(r.get(k), (int, float))), 4) if num else ""
                                     for (k, _, _, num, _) in cols[1:]]
    if producer == "xlsxwriter":
        wb = xlsxwriter.Workbook(path)
        wb.set_properties({"created": FIXED_TIME, "author": union_name(unit)})
        ws = wb.add_worksheet("Bieu")
        bold = wb.add_format({"bold": True})
        center = wb.add_format({"bold": True, "align": "center", "text_wrap": True, "border": 1, "valign": "vcenter"})
        cell = wb.add_format({"border": 1})
        money = wb.add_format({"border": 1, "num_format": "#,##0.0"})
        ws.write(0, 0, head[0], bold)
        ws.write(0, 6, head[1], bold)
        for i, l in enumerate(lines):
            ws.write(2 + i, 0, l, bold if i == 0 else None)
        r0 = data_start
        ws.write_row(r0, 0, header, center)
        ws.write_row(r0 + 1, 0, codes, center)
        for i, row in enumerate(body):
            for j, v in enumerate(row):
                fmt = money if isinstance(v, float) else cell
                ws.write(r0 + 2 + i, j, v, fmt)
        if total:
            tr = r0 + 2 + len(body)
            ws.write(tr, 1, "Tổng cộng", bold)
            for j, v in enumerate(total):
                if j >= 2 and v != "":
                    col = xlsxwriter.utility.xl_col_to_name(j)
                    ws.write_formula(tr, j, "=SUM(%s%d:%s%d)" % (col, r0 + 3, col, tr), money, v)
            ws.write(tr + 2, 6, "Người lập biểu", bold)
        wb.close()
    else:
        wb = openpyxl.Workbook()
        wb.properties.created = FIXED_TIME
        wb.properties.modified = FIXED_TIME
        ws = wb.active
        ws.title = "Báo cáo"
        ws.cell(1, 1, head[0]); ws.cell(1, 7, head[1])
        for i, l in enumerate(lines):
            ws.cell(3 + i, 1, l)
        r0 = data_start + 1
        for j, h in enumerate(header):
            ws.cell(r0, j + 1, h)
            ws.cell(r0 + 1, j + 1, codes[j])
        for i, row in enumerate(body):
            for j, v in enumerate(row):
                if v != "":
                    ws.cell(r0 + 2 + i, j + 1, v)
        if total:
            tr = r0 + 2 + len(body)
            ws.cell(tr, 2, "Tổng cộng")
            for j, v in enumerate(total):
                if j >= 2 and v != "":
                    ws.cell(tr, j + 1, v)
        wb.save(path)


def write_handmade(path, unit, form_id, code, rows, wrong_total_key=None):
    """A district's own layout: two title rows, a two-row header whose group cells are merged,
    a row of column codes, the communes, a Tổng cộng row; made with openpyxl and re-saved by
    LibreOffice Calc, as a district that keeps its own file would."""
    cols = columns(form_id)
    groups = {"outstanding": "NHCSXH ủy thác", "households": "NHCSXH ủy thác", "groups": "Tổ TK&VV",
              "groups_good": "Xếp loại tổ", "groups_fair": "Xếp loại tổ", "groups_average": "Xếp loại tổ",
              "groups_weak": "Xếp loại tổ", "agribank_groups": "Agribank", "agribank_borrowers": "Agribank",
              "agribank_outstanding": "Agribank"}
    short_headers = {"groups_good": "Tốt", "groups_fair": "Khá", "groups_average": "Trung bình", "groups_weak": "Yếu",
                     "agribank_groups": "Số tổ vay vốn", "agribank_borrowers": "Số hội viên vay",
                     "agribank_outstanding": "Dư nợ tín chấp qua Hội"}
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws["A1"] = "HỘI LHPN " + unit["kind"].upper() + " " + short(unit).upper()
    ws["A2"] = forms[form_id]["title"] + " — " + period_label(code)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=8)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=12)
    top, sub = 4, 5
    ws.cell(top, 1, "STT"); ws.merge_cells(start_row=top, start_column=1, end_row=sub, end_column=1)
    j = 2
    spans = {}
    for (k, h, u, num, t) in cols:
        g = groups.get(k)
        if g:
            spans.setdefault(g, [j, j])[1] = j
            ws.cell(sub, j, header_text(short_headers.get(k, h), u))
        else:
            ws.cell(top, j, header_text(h, u))
            ws.merge_cells(start_row=top, start_column=j, end_row=sub, end_column=j)
        j += 1
    for g, (a, b) in spans.items():
        ws.cell(top, a, g)
        if b > a:
            ws.merge_cells(start_row=top, start_column=a, end_row=top, end_column=b)
    ws.cell(sub + 1, 1, "A"); ws.cell(sub + 1, 2, "B")
    for i in range(len(cols) - 1):
        ws.cell(sub + 1, 3 + i, str(i + 1))
    r = sub + 2
    for i, row in enumerate(rows):
        ws.cell(r + i, 1, i + 1)
        for jj, (k, *_rest) in enumerate(cols):
            v = row.get(k, "")
            if v != "":
                ws.cell(r + i, 2 + jj, v)
    tr = r + len(rows)
    ws.cell(tr, 2, "Tổng cộng")
    for jj, (k, _, _, num, _) in enumerate(cols):
        if jj == 0 or not num:
            continue
        total = round(sum(row[k] for row in rows), 4)
        if k == wrong_total_key:
            total = round(total + 100, 4)  # a figure typed over the formula
        ws.cell(tr, 2 + jj, total)
    ws.cell(tr + 2, 2, "Người lập biểu")
    ws.cell(tr + 2, 8, "Chủ tịch")
    src = os.path.join(TMP, "handmade.xlsx")
    wb.save(src)
    soffice(src, "xlsx:Calc MS Excel 2007 XML", path)


def soffice(src, fmt, dest):
    outdir = tempfile.mkdtemp(dir=TMP)
    r = subprocess.run(["soffice", "--headless", "--norestore", "--convert-to", fmt, "--outdir", outdir, src],
                       capture_output=True, text=True)
    made = os.listdir(outdir)
    if r.returncode != 0 or len(made) != 1:
        sys.exit("soffice failed: %s %s" % (r.stdout, r.stderr))
    shutil.move(os.path.join(outdir, made[0]), dest)


def csv_lines(unit, form_id, code, row):
    """A one-row form as a sheet saved to CSV: title lines, header, values."""
    cols = columns(form_id)
    lines = [[forms[form_id]["title"].upper()], ["Kỳ báo cáo: " + period_label(code)], ["Đơn vị: " + union_name(unit)], []]
    lines.append([header_text(h, u) for (_, h, u, _, _) in cols])
    vals = []
    for (k, _, _, num, t) in cols:
        v = row[k]
        # Excel on a Vietnamese Windows writes decimal commas.
        vals.append(("%s" % v).replace(".", ",") if isinstance(v, float) else str(v))
    lines.append(vals)
    return lines


def to_cp1258(text):
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258"); continue
        except UnicodeEncodeError:
            pass
        d = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in d if c in "\u0300\u0301\u0303\u0309\u0323")
        out += (unicodedata.normalize("NFC", "".join(c for c in d if c not in tones)) + tones).encode("cp1258")
    return bytes(out)


def save(rel, received):
    register.append((rel, received))
    return os.path.join(INBOX, rel)


def place(unit, name):
    d = os.path.join(INBOX, folder(unit))
    os.makedirs(d, exist_ok=True)
    return folder(unit) + "/" + name


# ---------------------------------------------------------------- the year

def main():
    if os.path.exists(INBOX):
        shutil.rmtree(INBOX)
    os.makedirs(INBOX)
    producers = {"568": "xlsxwriter", "569": "openpyxl", "570": "xlsxwriter", "571": "xlsxwriter",
                 "572": "openpyxl", "573": "xlsxwriter", "574": "xlsxwriter", "575": "openpyxl"}

    for unit in units:
        code_ = unit["code"]
        name = folder(unit)
        prod = producers[code_]

        # Monthly reports, January to November (December is not due yet on 5/12).
        for m in range(1, 12):
            period = "2019-%02d" % m
            if code_ == "574" and m == 11:
                continue  # never sent: missing
            rnd = random.Random("%s-recv-%s" % (code_, period))
            received = received_on_time(rnd, "monthly", period, code_)
            if code_ == "571" and m == 10:
                received = due("monthly", period, code_) + dt.timedelta(days=3)  # late by 3 days
            fname = "BC thang %d - %s.xlsx" % (m, name)
            if code_ == "569" and m == 6:
                fname = "BC thang 6 - Cam Lam.xlsx"  # misnamed: the content says Cam Ranh
            rel = place(unit, fname)
            if code_ == "573" and m == 9:
                # No district line in the file: only its folder tells it is Khánh Vĩnh.
                write_clean_template(save(rel, received), unit, "monthly", period, monthly_rows(unit, m), prod, district_line=False)
                continue
            write_clean_template(save(rel, received), unit, "monthly", period, monthly_rows(unit, m), prod)

        # Poverty plan 2019 (due 31/03/2019).
        rnd = random.Random(code_ + "-recv-pp")
        rows = poverty_rows(unit)
        rel = place(unit, "Ke hoach giup PN ngheo 2019 - %s.xlsx" % name)
        if code_ == "571":
            # Typed on a Mac: every text in NFD.
            nfd = [{k: unicodedata.normalize("NFD", v) if isinstance(v, str) else v for k, v in r.items()} for r in rows]
            write_clean_template(save(rel, received_on_time(rnd, "poverty-plan", "2019", code_)), unit,
                                 "poverty-plan", "2019", nfd, prod)
        else:
            write_clean_template(save(rel, received_on_time(rnd, "poverty-plan", "2019", code_)), unit, "poverty-plan", "2019", rows, prod)

        # Savings evaluation 2018 (due 31/03/2019).
        rnd = random.Random(code_ + "-recv-se")
        received = received_on_time(rnd, "savings-eval", "2018", code_)
        if code_ == "575":
            rel = place(unit, "Danh gia tiet kiem 2018 - %s.csv" % name)
            text = "\r\n".join(";".join(c if ";" not in c else '"%s"' % c for c in line)
                               for line in csv_lines(unit, "savings-eval", "2018", savings_row(unit))) + "\r\n"
            open(save(rel, received), "wb").write(to_cp1258(text))
        elif code_ == "570":
            # Saved as Excel 97-2003: must be re-saved as .xlsx.
            rel = place(unit, "Danh gia tiet kiem 2018 - %s.xls" % name)
            src = os.path.join(TMP, "se.xlsx")
            write_clean_template(src, unit, "savings-eval", "2018", [savings_row(unit)], "openpyxl")
            soffice(src, "xls:MS Excel 97", save(rel, received))
        else:
            rel = place(unit, "Danh gia tiet kiem 2018 - %s.xlsx" % name)
            write_clean_template(save(rel, received), unit, "savings-eval", "2018", [savings_row(unit)], prod)

        # Revolving fund, first half (H2 ends 14/12: pending on 5/12).
        rnd = random.Random(code_ + "-recv-rf")
        received = received_on_time(rnd, "revolving-fund", "2019-H1", code_)
        if code_ == "570":
            rel = place(unit, "Von quay vong 6 thang - %s.txt" % name)
            text = "\r\n".join("\t".join(line) for line in csv_lines(unit, "revolving-fund", "2019-H1", revolving_row(unit))) + "\r\n"
            open(save(rel, received), "wb").write(b"\xff\xfe" + text.encode("utf-16-le"))
        else:
            rel = place(unit, "Von quay vong giam ngheo 6 thang dau nam - %s.xlsx" % name)
            write_clean_template(save(rel, received), unit, "revolving-fund", "2019-H1", [revolving_row(unit)], prod)

        # Quarterly capital figures, Q1 to Q3 (Q4 ends 14/12: pending).
        for q in (1, 2, 3):
            period = "2019-Q%d" % q
            rnd = random.Random("%s-recv-%s" % (code_, period))
            received = received_on_time(rnd, "capital-quarterly", period, code_)
            rows = capital_rows(unit, period, annual=False)
            rel = place(unit, "BC von quy %d - %s.xlsx" % (q, name))
            if code_ == "570" and q == 2:
                # Cam Lâm's own layout, with a total typed over its formula: rejected.
                write_handmade(save(rel, received), unit, "capital-quarterly", period, rows, wrong_total_key="outstanding")
            elif code_ == "572" and q == 3:
                # First version with mistakes, then the corrected one before the due date.
                bad = [dict(r) for r in rows]
                bad[2]["groups_good"] += 2            # ratings no longer add up to the groups
                bad[5]["overdue"] = "không có"        # text in a money column
                first = due("capital-quarterly", period, code_) - dt.timedelta(days=6)
                write_clean_template(save(rel, first), unit, "capital-quarterly", period, bad, prod)
                rel2 = place(unit, "BC von quy %d - %s (sua lan 2).xlsx" % (q, name))
                write_clean_template(save(rel2, first + dt.timedelta(days=4)), unit, "capital-quarterly", period, rows, prod)
            elif code_ == "574" and q == 3:
                # Savings through groups entered in đồng instead of triệu đồng.
                dong = [dict(r, group_savings=round(r["group_savings"] * 1_000_000)) for r in rows]
                write_clean_template(save(rel, received), unit, "capital-quarterly", period, dong, prod)
            elif code_ == "575" and q == 3:
                # Deadline extended to 25/10 after the floods: received 24/10, on time.
                write_clean_template(save(rel, dt.date(2019, 10, 24)), unit, "capital-quarterly", period, rows, prod)
            else:
                write_clean_template(save(rel, received), unit, "capital-quarterly", period, rows, prod)

        # Annual capital and savings report (due 30/11/2019).
        rnd = random.Random(code_ + "-recv-annual")
        received = received_on_time(rnd, "capital-annual", "2019", code_)
        rows = capital_rows(unit, "2019", annual=True)
        rel = place(unit, "BC nguon von va tiet kiem nam 2019 - %s.xlsx" % name)
        if code_ == "573":
            write_handmade(save(rel, received), unit, "capital-annual", "2019", rows)
        elif code_ == "569":
            # Numbers typed as text the Vietnamese way: 11.850,5.
            def vn(v):
                if isinstance(v, float):
                    whole, frac = ("%.1f" % v).split(".")
                    return "{:,}".format(int(whole)).replace(",", ".") + "," + frac
                if isinstance(v, int) and v >= 1000:
                    return "{:,}".format(v).replace(",", ".")
                return v
            text_rows = [{k: vn(v) for k, v in r.items()} for r in rows]
            write_clean_template(save(rel, received), unit, "capital-annual", "2019", text_rows, prod, totals_from=rows)
        else:
            write_clean_template(save(rel, received), unit, "capital-annual", "2019", rows, prod)

    # A byte-identical second copy of Nha Trang's November report, sent again by e-mail.
    src_rel = "Nha Trang/BC thang 11 - Nha Trang.xlsx"
    dup_rel = "BC thang 11 - Nha Trang (gui lai qua email).xlsx"
    shutil.copyfile(os.path.join(INBOX, src_rel), os.path.join(INBOX, dup_rel))
    register.append((dup_rel, dict(register)[src_rel] + dt.timedelta(days=2)))

    # A sheet nobody can place: no title, no unit, a default file name.
    wb = xlsxwriter.Workbook(os.path.join(INBOX, "Book1.xlsx"))
    wb.set_properties({"created": FIXED_TIME})
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["Tên", "Số lượng", "Ghi chú"])
    ws.write_row(1, 0, ["Bà Nguyễn Thị Lan", 3, "đã nhận"])
    ws.write_row(2, 0, ["Bà Trần Thị Hoa", 5, ""])
    wb.close()
    register.append(("Book1.xlsx", dt.date(2019, 11, 28)))

    # The incoming register (sổ công văn đến): file name; received date.
    with open(os.path.join(INBOX, "so-cong-van-den.csv"), "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\r\n")
        w.writerow(["Tên tệp", "Ngày nhận"])
        for rel, d in sorted(register):
            w.writerow([rel, d.strftime("%d/%m/%Y")])
    shutil.rmtree(TMP)
    print("%d files written to %s" % (len(register), INBOX))
    if "--targets" in sys.argv:
        print_targets()


def print_targets():
    """The 2019 targets as the sample figures make them, per district (from the data written)."""
    print("code  escaped%  femhead%  direct/union  new  misapp%  overdue%  interest%  ratio%  goodfair%  weak  savings%  agribank+  branches%")
    for unit in units:
        c = unit["code"]
        base = plan["baselines"][c]
        pp = poverty_rows(unit)
        months = [monthly_rows(unit, m) for m in range(1, 12) if not (c == "574" and m == 11)]
        esc = sum(r["escaped_poor_women"] for rows in months for r in rows)
        fh = sum(r["escaped_female_headed"] for rows in months for r in rows)
        direct = sum(r["escaped_direct_help"] for rows in months for r in rows)
        a = capital_rows(unit, "2019", annual=True)
        t = lambda k: sum(r[k] for r in a)
        print("%s  %7.1f  %7.1f  %11.2f  %3d  %7.1f  %7.1f  %8.1f  %6.3f  %8.1f  %4d  %7.1f  %8.1f  %8.1f" % (
            c, 100 * esc / sum(r["registered_2019"] for r in pp), 100 * fh / sum(r["registered_female_headed_2019"] for r in pp),
            direct / sum(r["grassroots_unions"] for r in pp), t("new_proxy_cases") + t("new_misappropriation_cases"),
            100 * t("misappropriated_proxy_recovered") / (base["misappropriated"] + base["proxy_outstanding"]),
            100 * t("overdue_recovered") / base["overdue"], 100 * t("interest_recovered") / base["interest_arrears"],
            100 * t("overdue") / t("outstanding"), 100 * (t("groups_good") + t("groups_fair")) / t("groups"), t("groups_weak"),
            100 * t("members_saving") / t("members"), t("agribank_outstanding") - base["agribank_outstanding"],
            100 * t("branches_with_savings") / t("branches_total")))


if __name__ == "__main__":
    main()
