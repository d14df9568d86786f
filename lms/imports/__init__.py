"""CSV import of students and vouchers: upload, a stored preview, an all-or-nothing commit."""
