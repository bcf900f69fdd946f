"""Message text on its own: mentions, links at the edges of sentences, escaping, what is refused."""
from conversations import text


def test_mentions_are_handles_not_email_addresses():
    assert text.mentions("Hi @Ana-B and @tom_2, write to ana@example.org; @ana-b again, @xy too short") \
        == ["ana-b", "tom_2"]


def test_links_keep_their_own_brackets_and_leave_the_sentences_punctuation():
    html = str(text.render("(see https://example.org/a) and https://en.wikipedia.org/wiki/Foo_(bar), "
                           "then https://example.org/b."))
    assert '>https://example.org/a</a>)' in html
    assert '>https://en.wikipedia.org/wiki/Foo_(bar)</a>,' in html
    assert '>https://example.org/b</a>.' in html


def test_only_http_links_are_made_and_quotes_cannot_break_out():
    html = str(text.render('javascript:alert(1) ftp://x.org https://x.org/"onmouseover="alert(1) https://'))
    assert html.count("<a ") == 1 and 'href="https://x.org/"' in html and "onmouseover=\"" not in html
    assert "&#34;onmouseover=&#34;alert(1)" in html


def test_mentions_inside_links_stay_part_of_the_link():
    html = str(text.render("https://example.org/@ana and @ana"))
    assert '<a href="https://example.org/@ana"' in html and html.count('class="mention"') == 1


def test_what_is_refused():
    assert text.problem("") == "empty"
    assert text.problem("x" * 4001) == "long" and text.problem("x" * 4000) is None
    assert text.problem("tab\tand\nnew line") is None
    assert text.problem("escape \x1b[31m") == "control" and text.problem("zero\u2066width") == "control"
    assert text.normalised(" a\r\nb\r ") == "a\nb"
