"""The form helper sends what a browser sends: checked against static HTML, no app."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest

from tests.forms import form_on, forms_on

PAGE = "http://testserver.local/ideas/7?order=oldest"


def fails(match: str):
    """The helper fails the test (pytest.fail) with a message matching `match`."""
    return pytest.raises(pytest.fail.Exception, match=match)


def sent(form) -> list[tuple[str, str]]:
    method, url, headers, body = form.request()
    assert method == "POST" and headers["content-type"] == "application/x-www-form-urlencoded"
    return parse_qsl(body.decode(), keep_blank_values=True)


def test_every_successful_control_in_tree_order():
    form = form_on(
        """
        <form method="post" action="/ideas/7/comments">
          <input type="hidden" name="_csrf_token" value="tok">
          <input name="title" value="Bankjes">
          <input type="text" name="untyped">
          <input type="checkbox" name="remember">
          <input type="checkbox" name="asks" value="space" checked>
          <input type="checkbox" name="asks" value="money">
          <input type="radio" name="scope" value="narrow">
          <input type="radio" name="scope" value="broad" checked>
          <input type="radio" name="none" value="x">
          <textarea name="body">
Eerste regel
tweede &amp; laatste</textarea>
          <input name="" value="no name">
          <input value="no name either">
          <input type="reset" name="reset">
          <button type="button" name="helper">Help</button>
          <button name="go" value="yes">Verstuur</button>
        </form>
        """,
        PAGE,
    )
    assert sent(form) == [
        ("_csrf_token", "tok"),
        ("title", "Bankjes"),
        ("untyped", ""),
        ("asks", "space"),
        ("scope", "broad"),
        ("body", "Eerste regel\r\ntweede & laatste"),
        ("go", "yes"),
    ]


def test_action_and_method_defaults():
    missing, empty, relative, get = forms_on(
        """
        <form method="post"><button>a</button></form>
        <form action="" method="POST"><button>b</button></form>
        <form action="publish#top" method="post"><button>c</button></form>
        <form><input name="q" value="fiets"><button>d</button></form>
        """,
        PAGE,
    )
    assert missing.action == PAGE and missing.method == "post"
    assert empty.action == PAGE
    assert relative.request()[1] == "http://testserver.local/ideas/publish"
    assert get.method == "get"
    assert get.request()[:2] == ("GET", "http://testserver.local/ideas/7?q=fiets")


def test_select_sends_the_selected_or_first_enabled_option():
    form = form_on(
        """
        <form method="post" action="/x">
          <select name="plain"><option>  Eerste   keuze </option><option value="2">Twee</option></select>
          <select name="chosen"><option value="a">A</option><option value="b" selected>B</option></select>
          <select name="skip"><option value="off" disabled>Uit</option><option value="on">Aan</option></select>
          <select name="empty"></select>
          <select name="many" multiple>
            <option value="a" selected>A</option><option value="b">B</option><option value="c" selected>C</option>
          </select>
          <select name="none" multiple><option value="a">A</option></select>
        </form>
        """,
        PAGE,
    )
    assert sent(form) == [
        ("plain", "Eerste keuze"),
        ("chosen", "b"),
        ("skip", "on"),
        ("many", "a"),
        ("many", "c"),
    ]
    form.fill(chosen="a", many=["b"])
    assert ("chosen", "a") in sent(form) and [v for k, v in sent(form) if k == "many"] == ["b"]
    with fails("offers no option 'z'"):
        form.fill(chosen="z")
    with fails("offers no option 'off'"):
        form.fill(skip="off")


def test_disabled_controls_are_not_sent_nor_fillable():
    form = form_on(
        """
        <form method="post" action="/x">
          <input name="off" value="1" disabled>
          <fieldset disabled>
            <legend><input name="in_legend" value="2"></legend>
            <input name="in_fieldset" value="3">
          </fieldset>
          <input name="on" value="4">
        </form>
        """,
        PAGE,
    )
    assert sent(form) == [("in_legend", "2"), ("on", "4")]
    with fails("disabled"):
        form.fill(off="x")
    with fails("disabled"):
        form.fill(in_fieldset="x")


def test_checkbox_and_radio_filling():
    form = form_on(
        """
        <form method="post" action="/x">
          <input type="checkbox" name="remember">
          <input type="checkbox" name="hood" value="dorp" checked>
          <input type="checkbox" name="hood" value="centrum">
          <input type="radio" name="kind" value="idea" checked>
          <input type="radio" name="kind" value="pilot">
        </form>
        """,
        PAGE,
    )
    form.fill(remember=True, hood=["centrum"], kind="pilot")
    assert sent(form) == [("remember", "on"), ("hood", "centrum"), ("kind", "pilot")]
    form.fill(remember=False, hood=[])
    assert sent(form) == [("kind", "pilot")]
    with fails("radio group 'kind'.*no value 'petition'"):
        form.fill(kind="petition")
    with fails("checkboxes 'hood'.*no value 'rokkeveen'"):
        form.fill(hood="rokkeveen")
    with fails("say which values"):
        form.fill(hood=True)


def test_the_pressed_button_is_sent_where_it_stands():
    form = form_on(
        """
        <form method="post" action="/ideas/new">
          <input name="title" value="t">
          <button name="action" value="edit">Aanpassen</button>
          <input name="summary" value="s">
          <button name="action" value="send">Versturen</button>
          <input type="submit" name="alt" value="Anders" formaction="/elsewhere">
        </form>
        """,
        PAGE,
    )
    assert sent(form) == [("title", "t"), ("action", "edit"), ("summary", "s")]  # Enter: the first button
    form.press("Versturen")
    assert sent(form) == [("title", "t"), ("summary", "s"), ("action", "send")]
    form.press("Anders")
    assert form.request()[1] == "http://testserver.local/elsewhere"
    with fails("no button 'Verwijderen'"):
        form.press("Verwijderen")
    assert form_on(form.document.html, PAGE, button="Versturen").pressed is not None


def test_controls_linked_by_the_form_attribute_belong_to_that_form():
    form = form_on(
        """
        <form id="f" method="post" action="/x">
          <input name="inside" value="1"><input name="away" form="other" value="2">
        </form>
        <input name="outside" form="f" value="3">
        <form id="other" method="post" action="/y"></form>
        """,
        PAGE,
        action="/x",
    )
    assert sent(form) == [("inside", "1"), ("outside", "3")]


def test_a_mangled_field_name_is_reported():
    html = """
        <form method="post" action="/ideas/7/comments">
          <input type="hidden" name="parent_id" value="3">
          <textarea id="f-reply-3" name="&#34;body&#34;"></textarea>
          <button>Reageren</button>
        </form>
    """
    with fails("mangled field names \\['\"body\"'\\]"):
        form_on(html, PAGE)
    form = form_on(html, PAGE, strict=False)
    with fails("has no field 'body'; a person can fill: \\['\"body\"'\\]"):
        form.fill(body="Een antwoord")


def test_single_line_fields_drop_line_breaks_as_browsers_do():
    form = form_on(
        """
        <form method="post" action="/x">
          <input type="hidden" name="kept" value="a
b">
          <input name="title">
          <input type="email" name="email">
        </form>
        """,
        PAGE,
    )
    form.fill(title="een\ntwee", email="  noor@example.org ")
    assert form.data() == [("kept", "a\r\nb"), ("title", "eentwee"), ("email", "noor@example.org")]


def test_unknown_hidden_and_too_long_fields_fail():
    form = form_on(
        """
        <form method="post" action="/x">
          <input type="hidden" name="_csrf_token" value="t">
          <input name="title" maxlength="5">
          <input name="code" readonly value="A1">
        </form>
        """,
        PAGE,
    )
    with fails("has no field 'titel'"):
        form.fill(titel="x")
    with fails("hidden"):
        form.fill(_csrf_token="forged")
    with fails("read-only"):
        form.fill(code="B2")
    with fails("at most 5"):
        form.fill(title="123456")
    assert form.fill({"title": "12345"}).data() == [("_csrf_token", "t"), ("title", "12345"), ("code", "A1")]


def test_choosing_the_form_on_a_page():
    html = """
        <form method="post" action="/logout"><button>Uitloggen</button></form>
        <div id="comment-3"><form method="post" action="/ideas/7/comments"><button>Reageren</button></form></div>
        <div id="comment-4"><form method="post" action="/ideas/7/comments"><button>Reageren</button></form></div>
        <form method="post" action="/ideas/7/comments" class="comment-form"><button>Plaatsen</button></form>
    """
    assert form_on(html, PAGE, action="/logout").button_texts == ["Uitloggen"]
    assert form_on(html, PAGE, button="Plaatsen").node.attributes["class"] == "comment-form"
    assert form_on(html, PAGE, selector="#comment-4 form").node.parent.attributes["id"] == "comment-4"
    assert form_on(html, PAGE, selector="#comment-3 button").node.parent.attributes["id"] == "comment-3"
    with fails("has 3 forms with action='/ideas/7/comments'"):
        form_on(html, PAGE, action="/ideas/7/comments")
    with fails("offers no form with action='/ideas/7/support'"):
        form_on(html, PAGE, action="/ideas/7/support")
