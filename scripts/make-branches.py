#!/usr/bin/env python3
"""Writes crates/domain/data/branches.csv, the branch directory (开户支行 / 联行号) Paydesk ships.

Deterministic: banks x cities x districts, each branch named the way banks name
them (中国工商银行股份有限公司上海市黄金城道支行) with a 12-digit CNAPS-style
branch code: 3-digit bank code, 4-digit city code, 4-digit sequence, check digit.
Run it again after editing the lists; the output only changes with them.
"""
import csv
import pathlib

BANKS = [
    ("ICBC", "102", "中国工商银行股份有限公司"),
    ("ABC", "103", "中国农业银行股份有限公司"),
    ("BOC", "104", "中国银行股份有限公司"),
    ("CCB", "105", "中国建设银行股份有限公司"),
    ("BOCOM", "301", "交通银行股份有限公司"),
    ("CITIC", "302", "中信银行股份有限公司"),
    ("CEB", "303", "中国光大银行股份有限公司"),
    ("CMBC", "305", "中国民生银行股份有限公司"),
    ("CMB", "308", "招商银行股份有限公司"),
    ("CIB", "309", "兴业银行股份有限公司"),
    ("SPDB", "310", "上海浦东发展银行股份有限公司"),
    ("PSBC", "403", "中国邮政储蓄银行股份有限公司"),
]

# province, city, city code, [(district, [roads])]
CITIES = [
    ("上海市", "上海市", "2900", [("浦东新区", ["陆家嘴", "张江", "世纪大道"]), ("黄浦区", ["外滩", "南京东路"]), ("长宁区", ["黄金城道", "虹桥"])]),
    ("北京市", "北京市", "1000", [("朝阳区", ["国贸", "望京", "亚运村"]), ("海淀区", ["中关村", "学院路"]), ("西城区", ["金融街", "西单"])]),
    ("广东省", "广州市", "5810", [("天河区", ["珠江新城", "天河北"]), ("越秀区", ["北京路", "东风东路"])]),
    ("广东省", "深圳市", "5840", [("福田区", ["车公庙", "华强北"]), ("南山区", ["科技园", "蛇口"])]),
    ("浙江省", "杭州市", "3310", [("西湖区", ["文三路", "西溪"]), ("上城区", ["湖滨", "钱江新城"])]),
    ("浙江省", "宁波市", "3320", [("鄞州区", ["中山东路", "南部商务区"])]),
    ("江苏省", "南京市", "3010", [("鼓楼区", ["新街口", "湖南路"]), ("建邺区", ["河西"])]),
    ("江苏省", "苏州市", "3050", [("工业园区", ["金鸡湖", "星海街"]), ("姑苏区", ["观前街"])]),
    ("天津市", "天津市", "1100", [("和平区", ["南京路", "小白楼"]), ("滨海新区", ["于家堡"])]),
    ("山东省", "青岛市", "4520", [("市南区", ["香港中路", "东海路"]), ("崂山区", ["海尔路"])]),
    ("四川省", "成都市", "6510", [("锦江区", ["春熙路", "东大街"]), ("高新区", ["天府大道"])]),
    ("湖北省", "武汉市", "5210", [("江汉区", ["解放大道", "青年路"]), ("洪山区", ["光谷"])]),
]


def check_digit(digits: str) -> str:
    return str(sum((i % 3 + 1) * int(d) for i, d in enumerate(digits)) % 10)


def main() -> None:
    out = pathlib.Path(__file__).resolve().parent.parent / "crates" / "domain" / "data" / "branches.csv"
    rows = []
    for code, cnaps, full in BANKS:
        for province, city, city_code, districts in CITIES:
            seq = 0
            for district, roads in districts:
                for road in roads:
                    seq += 1
                    number = f"{cnaps}{city_code}{seq:04d}"
                    name = f"{full}{city}{road}支行"
                    rows.append((code, province, city, district, name, number + check_digit(number)))
    with out.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["bank", "province", "city", "district", "branch", "branch_code"])
        w.writerows(rows)
    print(f"{len(rows)} branches written to {out}")


if __name__ == "__main__":
    main()
