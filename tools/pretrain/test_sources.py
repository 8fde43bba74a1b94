import unittest

from sources import chunk, fortune_entries, mail_body, prose_lines


class SourcesTest(unittest.TestCase):
    def test_chunk_joins_sentences_up_to_the_word_limit_and_cuts_long_ones(self) -> None:
        paragraph = "One two three. Four five six! Seven eight nine ten eleven twelve."
        self.assertEqual(chunk(paragraph, max_words=6), ["One two three. Four five six!", "Seven eight nine ten eleven twelve."])
        self.assertEqual(chunk("a b c d e f g", max_words=3), ["a b c", "d e f", "g"])

    def test_prose_lines_drop_short_and_symbol_heavy_lines(self) -> None:
        self.assertEqual(prose_lines(["Too short.", "#define X 0x8933 /* 1234 */ 5678 9999", "This line has enough words in it."]),
                         ["This line has enough words in it."])

    def test_mail_body_keeps_the_writer_and_drops_quotes_signature_and_addresses(self) -> None:
        raw = (b"From: a@example.org\nSubject: hi\nContent-Type: text/plain\n\n"
               b"On Mon, Bob wrote:\n> quoted text here\nI think the new release is much faster, see http://x.org/y\n"
               b"-- \nAlice, sig line\n")
        body = mail_body(raw)
        self.assertIn("I think the new release is much faster, see", body)
        for gone in ("quoted text", "wrote", "http", "sig line"):
            self.assertNotIn(gone, body)

    def test_mail_body_reads_html_as_text(self) -> None:
        raw = b"Content-Type: text/html\n\n<html><style>p{}</style><p>Great news for <b>everyone</b> today</p></html>"
        self.assertEqual(" ".join(mail_body(raw).split()), "Great news for everyone today")

    def test_fortune_entries_split_on_percent_lines_and_drop_attributions(self) -> None:
        text = "A fool and his money\nare soon parted.\n%\nKnowledge is power.\n\t\t-- Francis Bacon\n%\n"
        self.assertEqual(fortune_entries(text), ["A fool and his money are soon parted.", "Knowledge is power."])


if __name__ == "__main__":
    unittest.main()
