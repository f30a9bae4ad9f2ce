"""The file plan (danh mục hồ sơ) of an office and year: its tree of đề mục and planned dossiers, its approval,
its export in the layout of NĐ 30/2020 Phụ lục V.I, and the dossiers opened from its rows or ad hoc (Điều 28–29)."""
