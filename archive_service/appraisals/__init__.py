"""Xác định giá trị tài liệu and destruction (29-HD/VPTW; NĐ 30/2020 Phụ lục VI; records-lifecycle.md "Destruction").

Dossiers past their retention are listed (``queries``), proposed to the Hội đồng xác định giá trị tài liệu with a
danh mục tài liệu hết giá trị, the council's opinion recorded, the head's decision recorded by an admin
(``service``), and only then destroyed — never in one click — keeping every catalog row as a tombstone and a
biên bản hủy as the permanent record of what went (``destruction``). ``sheets`` holds the two forms as data.
"""
