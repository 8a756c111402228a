"""Personal data (ID-card and phone numbers): validation, encryption at rest, masking.

A personal-data column holds ``v1:<base64(nonce | SM4-GCM ciphertext | tag)>``; a sibling
``<name>_hash`` column holds a keyed SM3 HMAC of the normalised value so an exact look-up
("which account has this phone?") never needs the clear text. On a model instance the attribute
is a :class:`PersonalValue`, whose ``str()`` is the *masked* form: templates, JSON and logs show
``138****5678``. The clear value is read through one door,
:func:`fawang.core.personal_access.read_personal_data`, which records every read (staff reveals
go through ``fawang.core.services.reveal_personal_data``, which checks the role and then uses it).

On its way in, a value is normalised once (the field's descriptor, on assignment) and hashed once
(with the value; ``PersonalDataHashField.pre_save`` writes that hash, and computes one only for a
stored value copied from another record).
"""

from __future__ import annotations

import base64
import logging
import os
import re
from datetime import date
from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

ID_NUMBER = "id_number"
PHONE = "phone"
KINDS = (ID_NUMBER, PHONE)

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"
_PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
_ID_RE = re.compile(r"^\d{17}[\dX]$")


# --- validation ---------------------------------------------------------------------------


def normalise(kind: str, value: str) -> str:
    cleaned = re.sub(r"[\s-]", "", str(value)).upper()
    if kind == PHONE and cleaned.startswith("+86"):
        cleaned = cleaned[3:]
    return cleaned


def validate_id_number(value: str) -> str:
    """Check a resident ID number against GB 11643-1999 (18 digits, date, check character)."""
    number = normalise(ID_NUMBER, value)
    if not _ID_RE.match(number):
        raise ValidationError(
            _("身份证号码应为18位，前17位为数字，最后一位为数字或X。"), code="id_format"
        )
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(_("身份证号码中的出生日期无效。"), code="id_birth_date") from None
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK_CHARS[total % 11] != number[17]:
        raise ValidationError(_("身份证号码校验位不正确，请核对。"), code="id_checksum")
    return number


def validate_phone(value: str) -> str:
    """A mainland mobile number (11 digits starting with 1); landlines are not accepted here."""
    number = normalise(PHONE, value)
    if not _PHONE_RE.match(number):
        raise ValidationError(_("手机号码应为11位数字，以1开头。"), code="phone_format")
    return number


VALIDATORS = {ID_NUMBER: validate_id_number, PHONE: validate_phone}


def id_check_character(first17: str) -> str:
    """The GB 11643 check character for 17 digits (used by the demo data to make valid numbers)."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


# --- masking ------------------------------------------------------------------------------


def mask(kind: str, clear: str) -> str:
    if not clear:
        return ""
    if kind == PHONE and len(clear) >= 7:
        return f"{clear[:3]}****{clear[-4:]}"
    if kind == ID_NUMBER and len(clear) >= 10:
        return f"{clear[:6]}********{clear[-4:]}"
    return "*" * len(clear)


_LOG_PATTERNS = (
    (re.compile(r"(?<!\d)(\d{6})\d{8}(\d{3}[\dXx])(?!\d)"), r"\1********\2"),
    (re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)"), r"\1****\2"),
)


def mask_text(text: str) -> str:
    """Mask anything that looks like an ID or mobile number inside free text (log lines)."""
    for pattern, replacement in _LOG_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class MaskPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


# --- encryption ---------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _derived_keys(data_key: str) -> tuple[bytes, bytes]:
    try:
        material = bytes.fromhex(data_key)
    except ValueError:
        material = data_key.encode("utf-8")
    if len(material) < 16:
        raise ValueError("FAWANG_DATA_KEY must hold at least 16 bytes (32 hex digits)")

    def derive(label: bytes, length: int) -> bytes:
        return HKDF(algorithm=hashes.SM3(), length=length, salt=None, info=label).derive(material)

    return derive(b"fawang sm4-gcm v1", 16), derive(b"fawang lookup-hash v1", 32)


def derived_keys_problem(data_key: str) -> str | None:
    """Why this data key cannot be used, or None (for `fawang check`)."""
    try:
        _derived_keys(data_key)
    except ValueError as error:
        return str(error)
    return None


def _keys() -> tuple[bytes, bytes]:
    return _derived_keys(settings.DATA_KEY)


def encrypt(clear: str) -> str:
    encryption_key, _ = _keys()
    nonce = os.urandom(12)
    encryptor = Cipher(algorithms.SM4(encryption_key), modes.GCM(nonce)).encryptor()
    body = encryptor.update(clear.encode("utf-8")) + encryptor.finalize()
    return "v1:" + base64.b64encode(nonce + body + encryptor.tag).decode("ascii")


def decrypt(stored: str) -> str:
    version, _, payload = stored.partition(":")
    if version != "v1":
        raise ValueError(f"unknown personal-data format {version!r}")
    encryption_key, _ = _keys()
    raw = base64.b64decode(payload)
    nonce, body, tag = raw[:12], raw[12:-16], raw[-16:]
    decryptor = Cipher(algorithms.SM4(encryption_key), modes.GCM(nonce, tag)).decryptor()
    return (decryptor.update(body) + decryptor.finalize()).decode("utf-8")


def _keyed_hash(kind: str, normalised: str) -> str:
    _, hash_key = _keys()
    mac = hmac.HMAC(hash_key, hashes.SM3())
    mac.update(f"{kind}:{normalised}".encode())
    return mac.finalize().hex()


def lookup_hash(kind: str, value: str) -> str:
    """Keyed hash for exact look-up; the same value always gives the same hash."""
    return _keyed_hash(kind, normalise(kind, value))


# --- the model field ----------------------------------------------------------------------


class PersonalValue:
    """A personal-data value as held by a model instance: masked unless deliberately revealed.

    ``clear`` must already be normalised (the field's descriptor does it)."""

    __slots__ = ("_clear", "_digest", "_stored", "kind")

    def __init__(self, kind: str, *, clear: str | None = None, stored: str | None = None):
        self.kind = kind
        self._clear = clear
        self._stored = stored
        self._digest: str | None = None

    @property
    def stored(self) -> str:
        if self._stored is None:
            self._stored = encrypt(self._clear or "")
        return self._stored

    def reveal(self) -> str:
        """The clear value. Call only from ``core.personal_access.read_personal_data``, which
        records the read, and from this module (masking, comparing and hashing need it)."""
        if self._clear is None:
            self._clear = decrypt(self._stored or "")
        return self._clear

    @property
    def digest(self) -> str:
        """The look-up hash of this value, computed once."""
        if self._digest is None:
            self._digest = _keyed_hash(self.kind, self.reveal())
        return self._digest

    @property
    def masked(self) -> str:
        return mask(self.kind, self.reveal())

    def matches(self, candidate: str) -> bool:
        return self.reveal() == normalise(self.kind, candidate)

    def __str__(self) -> str:
        return self.masked

    def __repr__(self) -> str:
        return f"<PersonalValue {self.kind} {self.masked}>"

    def __bool__(self) -> bool:
        return bool(self._clear) if self._clear is not None else bool(self._stored)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PersonalValue):
            return self.kind == other.kind and self.reveal() == other.reveal()
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.kind, self.reveal()))


class _PersonalDataDescriptor:
    def __init__(self, field: PersonalDataField):
        self.field = field

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        if instance is None:
            return self
        return instance.__dict__.get(self.field.attname)

    def __set__(self, instance: Any, value: Any) -> None:
        field = self.field
        if value is None or value == "":
            instance.__dict__[field.attname] = None
            setattr(instance, field.hash_field_name, "")
            return
        if isinstance(value, PersonalValue):
            replacing = field.attname in instance.__dict__
            instance.__dict__[field.attname] = value
            if value._clear is not None:
                setattr(instance, field.hash_field_name, value.digest)
            elif replacing:
                # A stored value from another record: pre_save hashes it. (A value loaded with
                # its own row is set once, before its hash column: that hash stands.)
                setattr(instance, field.hash_field_name, "")
            return
        # The one place a value is normalised, and (through ``digest``) hashed.
        fresh = PersonalValue(field.kind, clear=normalise(field.kind, value))
        instance.__dict__[field.attname] = fresh
        setattr(instance, field.hash_field_name, fresh.digest)


class PersonalDataField(models.TextField):
    """An encrypted ID or phone number; declare ``<name>_hash`` beside it for look-ups.

    Assigning a clear string encrypts it and sets the hash; reading gives a PersonalValue.
    Validation (GB 11643 for ID numbers, mobile format for phones) runs in ``full_clean`` and in
    the services that accept the value.
    """

    def __init__(self, *args: Any, kind: str = PHONE, **kwargs: Any):
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}")
        self.kind = kind
        kwargs.setdefault("blank", True)
        kwargs.setdefault("null", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["kind"] = self.kind
        return name, path, args, kwargs

    @property
    def hash_field_name(self) -> str:
        return f"{self.name}_hash"

    def contribute_to_class(self, cls: Any, name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only)
        setattr(cls, self.attname, _PersonalDataDescriptor(self))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> PersonalValue | None:
        if value is None or value == "":
            return None
        return PersonalValue(self.kind, stored=value)

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None or value == "":
            return None
        if isinstance(value, PersonalValue):
            return value.stored  # a model instance's value: normalised when it was assigned
        # A bare string (QuerySet.update, raw filters) never passed the descriptor.
        return encrypt(normalise(self.kind, value))

    def validate(self, value: Any, model_instance: Any) -> None:
        super().validate(value, model_instance)
        if isinstance(value, PersonalValue) and value._clear is not None:
            VALIDATORS[self.kind](value._clear)

    def value_to_string(self, obj: Any) -> str:
        # Fixtures and dumps carry ciphertext, never the clear value.
        value = self.value_from_object(obj)
        return value.stored if isinstance(value, PersonalValue) else ""


class PersonalDataHashField(models.CharField):
    """The keyed look-up hash of a sibling PersonalDataField, kept right on every save.

    Written in ``pre_save`` from the personal value itself, so it is correct however the value
    was set (constructor keyword, assignment, form), whatever the field order. The hash is
    computed once per value (``PersonalValue.digest``, when the descriptor normalised it); a value
    loaded with its row keeps the stored hash, and only a stored value copied from another record
    is decrypted here to be hashed.
    """

    def __init__(self, *args: Any, source: str = "", kind: str = PHONE, **kwargs: Any):
        self.source, self.kind = source, kind
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("db_index", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.update(source=self.source, kind=self.kind)
        return name, path, args, kwargs

    def pre_save(self, model_instance: Any, add: bool) -> Any:
        value = getattr(model_instance, self.source)
        current = getattr(model_instance, self.attname)
        if value is None:
            digest = ""
        elif not isinstance(value, PersonalValue):
            digest = lookup_hash(self.kind, str(value))
        elif value._digest is not None:
            digest = value._digest  # hashed when the value was assigned
        elif current:
            digest = current  # loaded with its row and untouched: the stored hash stands
        else:
            digest = value.digest  # a stored value copied from another record
        setattr(model_instance, self.attname, digest)
        return digest
