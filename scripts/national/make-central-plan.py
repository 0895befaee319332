#!/usr/bin/env python3
"""Writes templates/trung-uong-2019/plan.yml: the Central Union's plan, whose units are the 63
provinces by official code and whose rows are each province's districts. The districts are
those of `tonghop sample --scale national` (seed 2019), except Khánh Hòa's, which are the
active units of templates/khanh-hoa-2019. Run again after the generator's names change:

    .build/debug/tonghop sample --scale national --files 1 --out /tmp/national
    python3 scripts/national/make-central-plan.py /tmp/national/plan/plan.yml
"""
import os
import sys

import yaml

sys.path.insert(0, os.path.dirname(__file__))
from provinces import OWN, PROVINCES, read_units, sample_index  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))


def main():
    generated = read_units(sys.argv[1])
    with open(os.path.join(ROOT, "templates", "khanh-hoa-2019", "plan.yml"), encoding="utf-8") as f:
        own = yaml.safe_load(f)
    lines = []
    total = 0
    for code, name, kind in PROVINCES:
        if code == OWN:
            districts = [u["name"] for u in own["units"] if u.get("active", True)]
        else:
            districts = [u["name"] for u in generated[sample_index(code)]]
        total += len(districts)
        alias = ("Tỉnh " if kind == "tỉnh" else "Thành phố ") + name
        lines.append(f'  - code: "{code}"\n    name: {name}\n    kind: {kind}\n    terrain: lowland\n'
                     f'    aliases: [{alias}]\n    communes: [{", ".join(districts)}]\n')
    template = open(os.path.join(os.path.dirname(__file__), "central-plan.head.yml"), encoding="utf-8").read()
    out = template.replace("{{count}}", str(total)) + "".join(lines)
    with open(os.path.join(ROOT, "templates", "trung-uong-2019", "plan.yml"), "w", encoding="utf-8") as f:
        f.write(out)
    write_forms()
    print(f"63 tỉnh, {total} huyện")


DISTRICT = """  - key: district
    header: Huyện, thị xã, thành phố
    aliases: [Huyện, Tên huyện, Đơn vị]
    type: text
    row-key: true
    help: Tên Hội LHPN huyện, thị xã, thành phố
"""


def write_forms():
    """The province's forms, one row per district: the row key is the district, no column is
    required (a district without a report is a blank row, never 0), no upper bounds."""
    src = os.path.join(ROOT, "templates", "khanh-hoa-2019", "forms")
    dst = os.path.join(ROOT, "templates", "trung-uong-2019", "forms")
    os.makedirs(dst, exist_ok=True)
    for name in sorted(os.listdir(src)):
        text = open(os.path.join(src, name), encoding="utf-8").read()
        out, skipping = [], False
        for line in text.splitlines(keepends=True):
            if line.startswith("rows:"):
                out.append("rows: per-district\n")
                continue
            # A district sums its communes: no column is required (a district without a report
            # is a blank row) and a commune's upper bound does not bound a district.
            if line.strip() == "required: true" or line.strip().startswith("max:"):
                continue
            if line.startswith("  - key: commune"):
                skipping = True
                out.append(DISTRICT)
                continue
            if skipping:
                if line.startswith("  - key:") or not line.startswith("    "):
                    skipping = False
                else:
                    continue
            out.append(line)
            if line.startswith("fields:") and "key: commune" not in text:
                out.append(DISTRICT)
        header = "# Cấp Trung ương: biểu của tỉnh, mỗi huyện một hàng (viết ra bởi scripts/national/make-central-plan.py).\n"
        with open(os.path.join(dst, name), "w", encoding="utf-8") as f:
            f.write(header + "".join(out))


if __name__ == "__main__":
    main()
