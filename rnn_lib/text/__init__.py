"""The characters, the lowest layer: a file's bytes and their encoding (``files``), a corpus and its vocabulary
(``corpus``), short documents read from lines, blocks, JSON or CSV (``documents``) and laid out with an
end-of-text character (``short_texts``), and a text cut into B streams read side by side (``streams``). Inside
the library a text is an integer array."""
