# The 63 provinces and centrally-run cities by their official codes (danh mục đơn vị hành
# chính), in code order: the units of the Central Union's plan. Shared by the scripts here.
PROVINCES = [
    ("01", "Hà Nội", "thành phố"), ("02", "Hà Giang", "tỉnh"), ("04", "Cao Bằng", "tỉnh"),
    ("06", "Bắc Kạn", "tỉnh"), ("08", "Tuyên Quang", "tỉnh"), ("10", "Lào Cai", "tỉnh"),
    ("11", "Điện Biên", "tỉnh"), ("12", "Lai Châu", "tỉnh"), ("14", "Sơn La", "tỉnh"),
    ("15", "Yên Bái", "tỉnh"), ("17", "Hòa Bình", "tỉnh"), ("19", "Thái Nguyên", "tỉnh"),
    ("20", "Lạng Sơn", "tỉnh"), ("22", "Quảng Ninh", "tỉnh"), ("24", "Bắc Giang", "tỉnh"),
    ("25", "Phú Thọ", "tỉnh"), ("26", "Vĩnh Phúc", "tỉnh"), ("27", "Bắc Ninh", "tỉnh"),
    ("30", "Hải Dương", "tỉnh"), ("31", "Hải Phòng", "thành phố"), ("33", "Hưng Yên", "tỉnh"),
    ("34", "Thái Bình", "tỉnh"), ("35", "Hà Nam", "tỉnh"), ("36", "Nam Định", "tỉnh"),
    ("37", "Ninh Bình", "tỉnh"), ("38", "Thanh Hóa", "tỉnh"), ("40", "Nghệ An", "tỉnh"),
    ("42", "Hà Tĩnh", "tỉnh"), ("44", "Quảng Bình", "tỉnh"), ("45", "Quảng Trị", "tỉnh"),
    ("46", "Thừa Thiên Huế", "tỉnh"), ("48", "Đà Nẵng", "thành phố"), ("49", "Quảng Nam", "tỉnh"),
    ("51", "Quảng Ngãi", "tỉnh"), ("52", "Bình Định", "tỉnh"), ("54", "Phú Yên", "tỉnh"),
    ("56", "Khánh Hòa", "tỉnh"), ("58", "Ninh Thuận", "tỉnh"), ("60", "Bình Thuận", "tỉnh"),
    ("62", "Kon Tum", "tỉnh"), ("64", "Gia Lai", "tỉnh"), ("66", "Đắk Lắk", "tỉnh"),
    ("67", "Đắk Nông", "tỉnh"), ("68", "Lâm Đồng", "tỉnh"), ("70", "Bình Phước", "tỉnh"),
    ("72", "Tây Ninh", "tỉnh"), ("74", "Bình Dương", "tỉnh"), ("75", "Đồng Nai", "tỉnh"),
    ("77", "Bà Rịa - Vũng Tàu", "tỉnh"), ("79", "Hồ Chí Minh", "thành phố"), ("80", "Long An", "tỉnh"),
    ("82", "Tiền Giang", "tỉnh"), ("83", "Bến Tre", "tỉnh"), ("84", "Trà Vinh", "tỉnh"),
    ("86", "Vĩnh Long", "tỉnh"), ("87", "Đồng Tháp", "tỉnh"), ("89", "An Giang", "tỉnh"),
    ("91", "Kiên Giang", "tỉnh"), ("92", "Cần Thơ", "thành phố"), ("93", "Hậu Giang", "tỉnh"),
    ("94", "Sóc Trăng", "tỉnh"), ("95", "Bạc Liêu", "tỉnh"), ("96", "Cà Mau", "tỉnh"),
]
assert len(PROVINCES) == 63

# The province whose reports come from the project's own sample (samples/inbox and the plan
# templates/khanh-hoa-2019) rather than from the generated national inbox.
OWN = "56"


def sample_index(code):
    """The generated province (01..63 in `tonghop sample --scale national`) standing for `code`."""
    return "%02d" % ([c for c, _, _ in PROVINCES].index(code) + 1)


def read_units(plan_yml):
    """The generated national plan's units, grouped by generated province: {"05": [(code, name), ...]}."""
    import yaml
    with open(plan_yml, encoding="utf-8") as f:
        plan = yaml.safe_load(f)
    out = {}
    for u in plan["units"]:
        out.setdefault(str(u["code"]).split("-")[0], []).append(u)
    return out
