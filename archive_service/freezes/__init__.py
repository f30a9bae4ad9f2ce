"""Đóng băng (NĐ 30/2020 Phụ lục VI): holds on a dossier or documents, placed and lifted by an authorised person."""
