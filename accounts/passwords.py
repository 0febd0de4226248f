"""The password rules, for every place a password is set: creating a user, an admin's reset, and
the user's own change.

- at least 12 characters;
- at most 1024 bytes, checked before anything hashes it (Argon2 would work through any length);
- not the username, and not containing it;
- not common or easy to guess: zxcvbn (the maintained Python port of Dropbox's estimator, with its
  own lists of leaked passwords, names and words, all offline) must rate it 4 of 4, that is at least
  10^10 guesses (score 3 let "Sommer2024!!" through). Its lists are English, so common Norwegian password words are added
  as if the user had typed them elsewhere ("passord", "sommer", "hemmelig" and the like).
"""

import unicodedata

from zxcvbn import zxcvbn

from core.errors import Invalid

MIN_LENGTH = 12
MAX_BYTES = 1024
MIN_SCORE = 4  # zxcvbn: 4 = at least 10^10 guesses
# zxcvbn refuses longer input (its matching grows fast with the length); a password whose first
# 72 characters are strong is strong.
_ZXCVBN_MAX = 72

# Words Norwegians often build passwords from; zxcvbn ranks a password made of them as if they were
# the most common words it knows.
NORWEGIAN_WORDS = (
    "passord", "hemmelig", "brobygger", "sommer", "vinter", "høst", "vår", "januar", "februar", "mars",
    "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "desember", "norge",
    "norsk", "oslo", "bergen", "trondheim", "stavanger", "drammen", "tromsø", "kristiansand", "heisann",
    "hallo", "velkommen", "kjærlighet", "elskerdeg", "fotball", "rosenborg", "vålerenga", "brann",
    "jobb", "arbeid", "kommune", "nav", "veileder", "konsulent", "admin", "bruker", "demo", "test",
    "qwertyuiop", "asdfghjkl", "zxcvbnm", "æøå", "mamma", "pappa", "katt", "hund", "bil", "båt",
    "sol", "snø", "fjell", "hytte", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag", "mandag",
)


def too_long(password: str) -> bool:
    return len(password.encode("utf-8", "surrogatepass")) > MAX_BYTES


def encodable(password: str) -> bool:
    """False for text no hash can take (a lone surrogate from JSON's "\\ud800")."""
    try:
        password.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in password


def check_password(password: str, *, username: str = "", other_inputs: tuple[str, ...] = (),
                   field: str = "password") -> str:
    """Return the password if it follows the rules, else raise Invalid naming `field`."""
    if not isinstance(password, str) or not password:
        raise Invalid("Passordet mangler.", field=field)
    if too_long(password):
        raise Invalid(f"Passordet kan ha høyst {MAX_BYTES} byte.", field=field)
    if not encodable(password):
        raise Invalid("Passordet inneholder tegn som ikke kan brukes.", field=field)
    if len(password) < MIN_LENGTH:
        raise Invalid(f"Passordet må ha minst {MIN_LENGTH} tegn.", field=field)
    folded = unicodedata.normalize("NFKC", password).casefold()
    name = unicodedata.normalize("NFKC", username or "").casefold()
    if name and name in folded:
        raise Invalid("Passordet kan ikke være eller inneholde brukernavnet.", field=field)
    inputs = [name, *(part for part in name.replace("@", ".").replace("_", ".").split(".") if len(part) >= 3),
              *(word.casefold() for x in other_inputs if x for word in x.split()), *NORWEGIAN_WORDS]
    result = zxcvbn(password[:_ZXCVBN_MAX], user_inputs=inputs)
    if result["score"] < MIN_SCORE:
        raise Invalid("Passordet er for vanlig eller lett å gjette. Bruk gjerne tre-fire tilfeldige ord "
                      "eller en lengre setning.", field=field)
    return password
