#!/usr/bin/env python3
"""The national demo's two hand-overs, between `tonghop` runs:

  split OUT   a generated national inbox (OUT/inbox, OUT/plan from `tonghop sample --scale
              national`) cut into one plan folder and one inbox per province, in OUT/tinh/<code>/;
              the files the generator could not place (Book1…, copies at the top) stay behind,
              as a province's secretariat would never receive them.
  gather OUT PERIOD DAY
              every province's `nop-cap-tren/` workbooks of PERIOD copied into OUT/trung-uong/inbox/
              <code>/, with the register (so-cong-van-den.csv) dating them DAY (YYYY-MM-DD).
"""
import os
import shutil
import sys

import yaml

sys.path.insert(0, os.path.dirname(__file__))
from provinces import OWN, PROVINCES, read_units, sample_index  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))


def quote(s):
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'


def split(out):
    with open(os.path.join(out, "plan", "plan.yml"), encoding="utf-8") as f:
        national = yaml.safe_load(f)
    units = read_units(os.path.join(out, "plan", "plan.yml"))
    register = {}
    with open(os.path.join(out, "inbox", "so-cong-van-den.csv"), encoding="utf-8-sig") as f:
        for line in f.read().splitlines()[1:]:
            if ";" in line:
                name, day = line.rsplit(";", 1)
                register[name] = day
    forms = os.path.join(out, "plan", "forms")
    count = 0
    for code, name, kind in PROVINCES:
        if code == OWN:
            continue
        p = sample_index(code)
        folder = os.path.join(out, "tinh", code)
        if os.path.exists(folder):
            shutil.rmtree(folder)
        os.makedirs(os.path.join(folder, "plan"))
        shutil.copytree(forms, os.path.join(folder, "plan", "forms"))
        shutil.copytree(os.path.join(out, "plan", "report"), os.path.join(folder, "plan", "report"))
        heading = f"HỘI LHPN {kind.upper()} {name.upper()}"
        y = [f"# Tỉnh {name} trong hộp thư mẫu toàn quốc (tỉnh {p} của bộ sinh mẫu).",
             f"organisation: Hội Liên hiệp Phụ nữ {kind} {name}", f"heading: {heading}", f"province: {name}",
             f"year: {national['year']}", "official:", f"  parent-body: {heading}", "  issuing-body: BAN THƯỜNG VỤ",
             f"  place: {name}", "  signer: {on-behalf: TM. BAN THƯỜNG VỤ, title: CHỦ TỊCH}",
             f"  upper: {{code: {quote(code)}, kind: {kind}}}",
             "calendar:", f"  cutoff: {national['calendar']['cutoff']}",
             "  holidays: [" + ", ".join(str(d) for d in national["calendar"].get("holidays") or []) + "]",
             "units:"]
        for u in units[p]:
            y.append(f"  - {{code: {quote(u['code'])}, name: {quote(u['name'])}, kind: {u['kind']}, terrain: {u['terrain']}, "
                     f"communes: [{', '.join(quote(c) for c in u['communes'])}]}}")
        y.append("deadlines:")
        for form, rule in national["deadlines"].items():
            (k, v), = rule.items()
            y.append(f"  {form}: {{{k}: {v}}}")
        with open(os.path.join(folder, "plan", "plan.yml"), "w", encoding="utf-8") as f:
            f.write("\n".join(y) + "\n")
        inbox = os.path.join(folder, "inbox")
        source = os.path.join(out, "inbox", f"Tinh {p}")
        if os.path.isdir(source):
            shutil.copytree(source, inbox)
        else:
            os.makedirs(inbox)
        prefix = f"Tinh {p}/"
        with open(os.path.join(inbox, "so-cong-van-den.csv"), "w", encoding="utf-8-sig", newline="") as f:
            f.write("Tên tệp;Ngày nhận\r\n")
            for rel, day in register.items():
                if rel.startswith(prefix):
                    f.write(f"{rel[len(prefix):]};{day}\r\n")
        count += 1
    print(f"{count} tỉnh trong {os.path.join(out, 'tinh')}")


def gather(out, period, day):
    y, m, d = day.split("-")
    central = os.path.join(out, "trung-uong", "inbox")
    if os.path.exists(central):
        shutil.rmtree(central)
    os.makedirs(central)
    lines = []
    for code, _, _ in PROVINCES:
        source = os.path.join(out, "tinh", code, "reports", period, "nop-cap-tren")
        if not os.path.isdir(source):
            continue
        os.makedirs(os.path.join(central, code))
        for name in sorted(os.listdir(source)):
            shutil.copy(os.path.join(source, name), os.path.join(central, code, name))
            lines.append(f"{code}/{name};{d}/{m}/{y}")
    with open(os.path.join(central, "so-cong-van-den.csv"), "w", encoding="utf-8-sig", newline="") as f:
        f.write("Tên tệp;Ngày nhận\r\n" + "".join(line + "\r\n" for line in lines))
    print(f"{len(lines)} biểu của các tỉnh trong {central}")


if __name__ == "__main__":
    if sys.argv[1] == "split":
        split(sys.argv[2])
    else:
        gather(sys.argv[2], sys.argv[3], sys.argv[4])
