"""toolkit.credentials against a real keyring backend whose file lives in the test's folder."""

from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from toolkit import credentials


def test_password_round_trip_lands_in_the_store_not_elsewhere(keyring_store, tmp_path):
    service = credentials.service_for(credentials.SMTP_SERVICE, " SMTP.Khoi.gov.vn ")
    assert service == "thidua-smtp/smtp.khoi.gov.vn"
    assert credentials.get_password(service, "truongkhoi@khoi.gov.vn") is None
    credentials.set_password(service, "truongkhoi@khoi.gov.vn", "mật-khẩu-1")
    assert credentials.get_password(service, "truongkhoi@khoi.gov.vn") == "mật-khẩu-1"
    assert credentials.get_password(service, "other@khoi.gov.vn") is None
    assert Path(keyring_store.file_path).is_file()
    assert credentials.store_name() is not None
    assert credentials.delete_password(service, "truongkhoi@khoi.gov.vn") is True
    assert credentials.get_password(service, "truongkhoi@khoi.gov.vn") is None
    assert credentials.delete_password(service, "truongkhoi@khoi.gov.vn") is False


def test_no_store_reads_as_none_and_refuses_to_store():
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        assert credentials.store_name() is None
        assert credentials.get_password("thidua-smtp/x", "u") is None
        with pytest.raises(credentials.CredentialError):
            credentials.set_password("thidua-smtp/x", "u", "p")
    finally:
        keyring.set_keyring(previous)
