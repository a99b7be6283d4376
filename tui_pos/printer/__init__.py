"""The receipt printer and the cash drawer on its port: device layer, hands results over
callbacks; no Textual."""
