"""Check that every expect string of gameleira_cases.yaml occurs verbatim in
gameleira.txt (case, accents and whitespace ignored). Adapted from the eighth's check."""
import os, re, sys, unicodedata, yaml
HERE = os.path.dirname(os.path.abspath(__file__))
def norm(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return re.sub(r"\s+", " ", s).strip()
doc = norm(open(os.path.join(HERE, "gameleira.txt"), encoding="utf-8").read())
cases = yaml.safe_load(open(os.path.join(HERE, "gameleira_cases.yaml"), encoding="utf-8"))["cases"]
bad = 0
for i, c in enumerate(cases):
    assert c.get("ask") and c.get("expect"), f"case {i} missing ask/expect"
    for e in c["expect"]:
        if norm(e) not in doc:
            bad += 1; print(f"MISSING case {i} ({c['ask']}): {e!r}")
    for f in c.get("forbid", []) or []:
        if norm(f) in doc: print(f"note: forbid {f!r} is in doc (case {i})")
slash = sum(c["ask"].startswith("/") for c in cases)
print(f"{len(cases)} cases ({slash} slash, {len(cases)-slash} free text), "
      f"{sum(len(c['expect']) for c in cases)} expect strings, {bad} missing")
sys.exit(1 if bad else 0)
