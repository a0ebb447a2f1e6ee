SAMPLES = {"web:statistics-download": lambda ctx: {"name": "workbook"}}
POST_ONLY = {"web:statistics-release"}
DOWNLOADS = {"web:statistics-download"}
