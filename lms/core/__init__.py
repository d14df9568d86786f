"""Infrastructure shared by every domain: extensions, errors, templating, formats, paging, exports, mail."""
