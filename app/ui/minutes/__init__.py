"""The minutes (verbale): preview, print, sign, verify; and the commission's sittings."""
