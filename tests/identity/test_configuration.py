"""Identity providers in the city configuration: read, checked with file/line/key, and what counts as
"in the municipality"."""

from __future__ import annotations

import pytest

from participation.city import CityConfigError, load_city_config
from participation.city_identity import MissingSecret
from participation.settings import DEFAULT_CITY_CONFIG

ZOETERMEER = DEFAULT_CITY_CONFIG.read_text(encoding="utf-8")

DIGID = """
[sign_in]
password_sign_in = false
subject_key_env = "TEST_IDENTITY_SUBJECT_KEY"

[[identity_providers]]
slug = "digid"
name = { nl = "DigiD", en = "DigiD" }
issuer = "https://broker.example.nl/"
client_id = "participatie"
client_secret_env = "TEST_DIGID_SECRET"
scopes = ["profile"]
verifies = "resident"
municipality_codes = ["GM0637"]
postcode_ranges = ["2711-2729", "2730"]
[identity_providers.claims]
postcode = "postal_code"
assurance = "acr"

[[identity_providers]]
slug = "eherkenning"
name = "eHerkenning"
issuer = "https://broker.example.nl/eh"
client_id = "participatie-eh"
verifies = "organisation"
[identity_providers.claims]
kvk = "urn:etoegang:1.9:EntityConcernedID:KvKnr"
"""


def city(tmp_path, extra: str):
    path = tmp_path / "city.toml"
    path.write_text(ZOETERMEER + extra, encoding="utf-8")
    return load_city_config(path)


def test_providers_are_read_from_the_city_file(tmp_path, monkeypatch):
    sign_in = city(tmp_path, DIGID).sign_in
    assert sign_in.password_sign_in is False
    digid, eherkenning = sign_in.providers
    assert digid.issuer == "https://broker.example.nl" and digid.scopes == ("openid", "profile")
    assert digid.claims == {"subject": "sub", "postcode": "postal_code", "assurance": "acr"}
    assert digid.municipality_codes == {"0637"} and digid.name("en") == "DigiD"
    assert eherkenning.verifies == "organisation" and eherkenning.claim("kvk").endswith("KvKnr")
    assert sign_in.provider("eherkenning") is eherkenning and sign_in.provider("nope") is None

    # Secrets come from the environment, when needed, and name the variable when missing.
    monkeypatch.delenv("TEST_DIGID_SECRET", raising=False)
    with pytest.raises(MissingSecret, match="TEST_DIGID_SECRET"):
        digid.client_secret()
    monkeypatch.setenv("TEST_DIGID_SECRET", "s3cret")
    assert digid.client_secret() == "s3cret" and eherkenning.client_secret() is None
    with pytest.raises(MissingSecret, match="TEST_IDENTITY_SUBJECT_KEY"):
        sign_in.subject_key("fallback")
    monkeypatch.setenv("TEST_IDENTITY_SUBJECT_KEY", "k" * 32)
    assert sign_in.subject_key("fallback") == "k" * 32


def test_without_providers_passwords_stay_and_nothing_is_offered(tmp_path):
    sign_in = load_city_config(DEFAULT_CITY_CONFIG).sign_in
    assert sign_in.password_sign_in is True and sign_in.providers == ()


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (('issuer = "https://broker.example.nl/"', 'issuer = "broker.example.nl"'), "identity_providers[0].issuer"),
        (('verifies = "resident"', 'verifies = "everyone"'), "identity_providers[0].verifies"),
        (('client_secret_env = "TEST_DIGID_SECRET"', 'client_secret_env = "the secret"'), "client_secret_env"),
        (('postcode_ranges = ["2711-2729", "2730"]', 'postcode_ranges = ["27AB"]'), "postcode_ranges"),
        (('kvk = "urn:etoegang:1.9:EntityConcernedID:KvKnr"', 'email = "email"'), "identity_providers[1].claims"),
        (('slug = "eherkenning"', 'slug = "digid"'), "duplicate slug"),
    ],
)
def test_a_broken_provider_names_its_key(tmp_path, change, key):
    with pytest.raises(CityConfigError, match=key.replace("[", r"\[").replace("]", r"\]")):
        city(tmp_path, DIGID.replace(*change))


def test_password_sign_in_off_needs_a_provider(tmp_path):
    with pytest.raises(CityConfigError, match="sign_in.password_sign_in"):
        city(tmp_path, "\n[sign_in]\npassword_sign_in = false\n")


def test_in_the_municipality_by_code_or_postcode(tmp_path):
    digid = city(tmp_path, DIGID).sign_in.providers[0]
    assert digid.in_municipality(None, "0637") and digid.in_municipality(None, "GM0637")
    assert digid.in_municipality("2712 AB", None) and digid.in_municipality("2730AA", None)
    assert not digid.in_municipality("2511 CV", None) and not digid.in_municipality(None, "0518")
    assert not digid.in_municipality(None, None) and not digid.in_municipality("abcd", None)
