"""The XSS corpus and the HTML checks, parsed the way a browser parses (html5lib, WHATWG algorithm)."""

import re
from functools import cache
from pathlib import Path

import html5lib

CORPUS = Path(__file__).with_name("xss_payloads.txt")
_CONTROL = re.compile(r"\\u\{([0-9a-fA-F]+)\}")

# Where a URL can run script.
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "background",
    "poster",
    "lowsrc",
    "dynsrc",
    "cite",
    "codebase",
    "srcset",
    "ping",
    "manifest",
    "icon",
    "to",
    "values",
}
# Elements that must never come from user text (and that the app's own templates do not use either).
FORBIDDEN = {
    "script",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "svg",
    "math",
    "template",
    "xmp",
    "plaintext",
    "noembed",
    "noframes",
    "isindex",
    "keygen",
    "marquee",
    "bgsound",
    "style",
    "link",
    "set",
    "animate",
    "foreignobject",
    "use",
    "image",
}
# The app's own templates use these (stylesheet links, the workshops' word cloud); user text never does.
PAGE_ELEMENTS = {"link", "svg"}
_SCHEME_NOISE = re.compile(r"[\x00-\x20\x7f\u200b-\u200f\u2028\u2029\ufeff]+")


@cache
def payloads() -> tuple[str, ...]:
    """The corpus: one payload per line (comments start with #; \\u{0a} is a control character)."""
    lines = CORPUS.read_text("utf-8").splitlines()
    return tuple(
        _CONTROL.sub(lambda m: chr(int(m.group(1), 16)), line)
        for line in lines
        if line and not line.startswith("#")
    )


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()


def _attr_name(name) -> str:
    if isinstance(name, tuple):  # (namespace, local name) for foreign attributes
        return f"xlink:{name[1]}" if name[0] and "xlink" in name[0] else name[1]
    return _local(name)


def dangerous_url(value: str) -> bool:
    """True for a javascript:/vbscript:/data: URL (as a browser reads it: spaces, controls and case
    ignored; entities are already decoded by the parser)."""
    squeezed = _SCHEME_NOISE.sub("", value).lower()
    return squeezed.startswith(("javascript:", "vbscript:", "data:", "livescript:", "mocha:"))


def dangers(
    html: str,
    *,
    fragment: bool,
    allowed_tags=None,
    allowed_attributes=None,
    own_scripts: tuple = ("/static/",),
) -> list[str]:
    """What in this HTML could run script, as a list of findings (empty when safe).

    fragment=True: stored user HTML (a sanitizer's output): only `allowed_tags` and
    `allowed_attributes` may appear. fragment=False: a whole page: script elements only from the
    site's own files (`own_scripts`), and no forbidden element, event handler or script URL."""
    parse = html5lib.parseFragment if fragment else html5lib.parse
    tree = parse(html, treebuilder="etree", namespaceHTMLElements=False)
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue  # comments
        tag = _local(element.tag)
        if tag == "script" and not fragment:
            src = element.get("src", "")
            if not src.startswith(own_scripts) or (element.text or "").strip():
                found.append(f"<script src={src!r}>{(element.text or '')[:40]!r}")
        elif (tag in FORBIDDEN and tag != "script" and (fragment or tag not in PAGE_ELEMENTS)) or (
            tag == "script" and fragment
        ):
            found.append(f"<{tag}>")
        if (
            fragment
            and allowed_tags is not None
            and tag not in allowed_tags
            and tag not in ("documentfragment", "document_fragment")
        ):
            found.append(f"<{tag}> not allowed")
        if tag == "meta" and "refresh" in (element.get("http-equiv") or "").lower():
            found.append("<meta http-equiv=refresh>")
        for raw_name, value in element.attrib.items():
            name = _attr_name(raw_name)
            if name.startswith("on"):
                found.append(f"<{tag} {name}=…>")
            if name in URL_ATTRIBUTES and dangerous_url(value or ""):
                if not (tag == "img" and name == "src" and value.startswith("data:image/")):
                    found.append(f"<{tag} {name}={value[:40]!r}>")
            if name == "style" and re.search(r"expression|javascript:|url\(", value or "", re.I):
                found.append(f"<{tag} style={value[:40]!r}>")
            if name == "srcdoc":
                found.append(f"<{tag} srcdoc>")
            if (
                fragment
                and allowed_attributes is not None
                and name not in allowed_attributes.get(tag, ())
            ):
                found.append(f"<{tag} {name}> not allowed")
    return found
