"""What TeX logos and text macros print, for display text (`text.latex_to_text`).

pylatexenc drops every macro it does not know, with nothing in its place: "The {\\TeX
book}" became "The book", and a TUGboat bibliography lost a word in a third of its titles.
This module adds to pylatexenc's own macro table the logos that bibliographies about TeX
write as macros (LaTeX's `\\TeX`, `\\LaTeX`, `\\LaTeXe`; `\\BibTeX`, `\\METAFONT`, `\\AmS`,
`\\XeTeX`, `\\ConTeXt`... as texnames.sty, mflogo, metalogo, hologo and TUGboat's
tugboat.def define them), the names and text macros tugboat.def defines (`\\TUB`,
`\\CTAN`, `\\Dash`), the journal macros of astronomy records (`\\mnras`), and the
text commands whose argument pylatexenc parses and then drops
(`\\mbox{...}`, `\\texttt{...}`). Pure data and one constructor; pylatexenc is imported
only when a value needs it.
"""

from __future__ import annotations

from typing import Any

# Logo macro -> the text it prints. Where two sources differ, the LaTeX kernel and
# hologo win (`\eTeX` is ε-TeX, not tugboat.def's eTeX).
LOGOS: dict[str, str] = {
    "TeX": "TeX",
    "LaTeX": "LaTeX",
    "LaTeXe": "LaTeX2ε",
    "BibTeX": "BibTeX",
    "AllTeX": "(La)TeX",
    "La": "La",
    "AmS": "AMS",
    "AmSTeX": "AMS-TeX",
    "AMSTeX": "AMS-TeX",
    "AmSLaTeX": "AMS-LaTeX",
    "LAMSTeX": "LAMS-TeX",
    "METAFONT": "METAFONT",
    "MF": "METAFONT",
    "METAPOST": "METAPOST",
    "MP": "METAPOST",
    "MetaPost": "MetaPost",
    "SliTeX": "SliTeX",
    "SLITEX": "SliTeX",
    "eTeX": "ε-TeX",
    "pdfTeX": "pdfTeX",
    "pdfLaTeX": "pdfLaTeX",
    "XeTeX": "XeTeX",
    "XeLaTeX": "XeLaTeX",
    "LuaTeX": "LuaTeX",
    "LuaLaTeX": "LuaLaTeX",
    "ConTeXt": "ConTeXt",
    "CONTEXT": "ConTeXt",
    "OMEGA": "OMEGA",
    "PiCTeX": "PiCTeX",
    "LyX": "LyX",
    "TikZ": "TikZ",
    "Xy": "Xy",
    "Xypic": "Xy-pic",
    "XyM": "XyM",
    "XyMTeX": "XyMTeX",
    "XYMTeX": "XyMTeX",
    "TeXworks": "TeXworks",
    "TeXtures": "Textures",
    "TeXLive": "TeXLive",
    "PS": "PostScript",
}
# TUGboat's own (tugboat.def), as they print: names of TeX's world, not LaTeX commands.
TUGBOAT = {
    "TUB": "TUGboat",
    "TUG": "TeX Users Group",
    "tug": "TUG",
    "uktug": "UK TUG",
    "AMS": "American Mathematical Society",
    "SC": "Steering Committee",
    "Abstract": "[Abstract]",
    "plain": "plain",
    "slBibTeX": "BibTeX",
    "slMF": "METAFONT",
    "warmreader": "WARMreader",
    "Java": "JAVA",
    "UNIX": "UNIX",
    "MacOSX": "Mac OS X",
    **{name: name for name in ("ExTeX", "FDNTeX", "JTeX", "MTeX", "NTS", "PreTeX", "VnTeX")},
    **{name: name for name in ("CSTUG", "GeX", "JemTeX", "LexiTeX", "NetBibTeX", "NexTeX")},
    **{name: name for name in ("PiC", "TeXMaG", "TeXML", "Tib", "VorTeX", "archiTeX")},
    **{name: name for name in ("BaSiX", "DVItoVDU", "WARMreader", "mathsPIC", "eOmega")},
    # Acronyms set in small capitals (`\acro{CTAN}`): they print their own name.
    **{name: name for name in ("CTAN", "CSS", "DVD", "DVI", "GNU", "HTML", "NTG", "PDF")},
    **{name: name for name in ("SGML", "VAX", "WEB", "XML")},
}
# Journal macros of astronomy records (NASA ADS exports write `journal = {\mnras}`), as
# the MNRAS class mnras.cls defines them (its "journal abbreviations"; aastex has the
# same names): the abbreviation the journal is cited by.
JOURNALS = {
    "aap": "A&A", "astap": "A&A", "aapr": "A&ARv", "aaps": "A&AS", "actaa": "Acta Astron.",
    "afz": "Afz", "aj": "AJ", "ao": "Appl. Opt.", "applopt": "Appl. Opt.",
    "aplett": "Astrophys. Lett.", "apj": "ApJ", "apjl": "ApJ", "apjlett": "ApJ",
    "apjs": "ApJS", "apjsupp": "ApJS", "apss": "Ap&SS", "araa": "ARA&A",
    "arep": "Astron. Rep.", "aspc": "ASP Conf. Ser.", "azh": "Azh", "baas": "BAAS",
    "bac": "Bull. Astron. Inst. Czechoslovakia", "bain": "Bull. Astron. Inst. Netherlands",
    "caa": "Chinese Astron. Astrophys.", "cjaa": "Chinese J. Astron. Astrophys.",
    "fcp": "Fundamentals Cosmic Phys.", "gca": "Geochimica Cosmochimica Acta",
    "grl": "Geophys. Res. Lett.", "iaucirc": "IAU Circ.", "icarus": "Icarus",
    "japa": "J. Astrophys. Astron.", "jcap": "J. Cosmology Astropart. Phys.",
    "jcp": "J. Chem. Phys.", "jgr": "J. Geophys. Res.",
    "jqsrt": "J. Quant. Spectrosc. Radiative Transfer", "jrasc": "J. R. Astron. Soc. Canada",
    "memras": "Mem. RAS", "memsai": "Mem. Soc. Astron. Italiana", "mnassa": "MNASSA",
    "mnras": "MNRAS", "na": "New Astron.", "nar": "New Astron. Rev.", "nat": "Nature",
    "nphysa": "Nuclear Phys. A", "pra": "Phys. Rev. A", "prb": "Phys. Rev. B",
    "prc": "Phys. Rev. C", "prd": "Phys. Rev. D", "pre": "Phys. Rev. E",
    "prl": "Phys. Rev. Lett.", "pasa": "Publ. Astron. Soc. Australia", "pasp": "PASP",
    "pasj": "PASJ", "physrep": "Phys. Rep.", "physscr": "Phys. Scr.",
    "planss": "Planet. Space Sci.", "procspie": "Proc. SPIE",
    "rmxaa": "Rev. Mex. Astron. Astrofis.", "qjras": "QJRAS", "sci": "Science",
    "skytel": "Sky & Telesc.", "solphys": "Sol. Phys.", "sovast": "Soviet Ast.",
    "ssr": "Space Sci. Rev.", "zap": "Z. Astrophys.",
}  # fmt: skip
# Text macros: LaTeX's breakable `\slash` and `\thinspace`, tugboat.def's dashes and
# backslash (`\bs`, as in "\bs def").
TEXT = {"slash": "/", "thinspace": " ", "Dash": "—", "dash": "–", "bs": "\\"}
# Commands pylatexenc parses with their argument but prints nothing for: print the argument.
ARGUMENT_SHOWN = ("mbox", "textsf", "texttt", "textup", "textmd", "textnormal")


def latex_context() -> Any:
    """pylatexenc's default latex2text context, with the macros above in front."""
    from pylatexenc.latex2text import MacroTextSpec, get_default_latex_context_db

    context = get_default_latex_context_db()
    printed = LOGOS | TUGBOAT | JOURNALS | TEXT
    macros = [MacroTextSpec(name, simplify_repl=text) for name, text in printed.items()]
    macros += [MacroTextSpec(name, discard=False) for name in ARGUMENT_SHOWN]
    context.add_context_category("soralit-tex-macros", macros=macros, prepend=True)
    return context
