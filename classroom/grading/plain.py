"""Plain data between the sandbox and the trusted scorer: a format that cannot carry code or objects.

Used on both sides of the grading pipe (harness.py inside the sandbox, scorer.py outside), so
it needs only the standard library and numpy; it never unpickles, imports or calls anything
named by the data.

What a message can hold: None, bool, int (any size), float, complex, str, bytes, list, tuple,
dict (keys: None/bool/int/float/str/tuples of those), numpy arrays of numbers or bools (dtype,
shape, bytes), numpy scalars, numpy scalar types and dtypes, and the state of a
np.random.RandomState or np.random.Generator (an argument the tests pass as a seed).
Anything else is refused when encoding (NotPlain) and cannot be expressed in the bytes.

Identity is kept, because the tests check it (``linear_cache[0] is A_prev``): an object met a
second time in a message is a reference to the first, and a reply may refer to the objects of
the request it answers ("the cache holds the inputs themselves").

A call (one side asks the other to run a function) carries the arguments and numpy's global
random state; the answer carries the result or the exception (builtin type name and text), the
arguments the call changed in place, and the global random state if the call moved it.
"""
from __future__ import annotations

import hashlib
import os
import select
import struct
import time

import numpy as np

MAX_MESSAGE = 64 * 1024 ** 2     # bytes of one message (an answer the size of 06's data set fits)
MAX_DEPTH = 64                   # nesting of lists, tuples and dicts
MAX_VALUES = 200_000             # values in one message (an array is one): bounds what decoding builds
MAX_TEXT = 1000                  # characters of an exception's message that cross

#: the array and scalar types that may cross: numbers and bools, never objects, strings or records
_DTYPES = {f"{order}{kind}{size}" for order in "<>|" for kind, sizes in
           (("b", "1"), ("i", "1248"), ("u", "1248"), ("f", "248"), ("c", ("8", "16")))
           for size in (sizes if isinstance(sizes, tuple) else tuple(sizes))}
_SCALAR_TYPES = {t for t in set(np.sctypeDict.values()) if np.dtype(t).str in _DTYPES}
_TYPE_NAMES = {"int": int, "float": float, "bool": bool, "complex": complex, "str": str,
               **{t.__name__: t for t in _SCALAR_TYPES}}
_BIT_GENERATORS = ("PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64")

_U32 = struct.Struct("<I")
_U64 = struct.Struct("<Q")
_I64 = struct.Struct("<q")
_F64 = struct.Struct("<d")
_C128 = struct.Struct("<dd")


class NotPlain(TypeError):
    """A value that is not plain data (its type's name is the message)."""


class ProtocolError(ValueError):
    """Bytes that are not a well-formed message."""


class Shallow:
    """Encode `obj` by value even though it is one of the request's objects (a changed argument)."""
    __slots__ = ("obj",)

    def __init__(self, obj):
        self.obj = obj


class _Encoder:
    def __init__(self, base=None):
        self.out = bytearray()
        self.memo = {}                       # id -> b"A"/b"R" + index
        self.objs = []                       # this message's objects, in order (kept alive)
        self.base = base or []
        self.count = 0
        for i, o in enumerate(self.base):
            self.memo[id(o)] = b"A" + _U32.pack(i)

    def _remember(self, x):
        self.memo[id(x)] = b"R" + _U32.pack(len(self.objs))
        self.objs.append(x)

    def enc(self, x, depth=0):
        out = self.out
        if len(out) > MAX_MESSAGE:
            raise NotPlain("data larger than %d MB" % (MAX_MESSAGE // 2 ** 20))
        if depth > MAX_DEPTH:
            raise NotPlain(f"data nested more than {MAX_DEPTH} levels deep")
        self.count += 1
        if self.count > MAX_VALUES:
            raise NotPlain(f"data of more than {MAX_VALUES:,} values")
        t = type(x)
        if x is None:
            out += b"N"
        elif t is bool:
            out += b"T" if x else b"F"
        elif t is int:
            if -2 ** 63 <= x < 2 ** 63:
                out += b"i" + _I64.pack(x)
            else:
                raw = x.to_bytes((x.bit_length() + 8) // 8, "little", signed=True)
                out += b"I" + _U32.pack(len(raw)) + raw
        elif t is float:
            out += b"f" + _F64.pack(x)
        elif t is complex:
            out += b"c" + _C128.pack(x.real, x.imag)
        elif t is str:
            raw = x.encode("utf-8", "surrogatepass")
            out += b"s" + _U32.pack(len(raw)) + raw
        elif t is bytes:
            out += b"y" + _U32.pack(len(x)) + x
        elif t in _SCALAR_TYPES:
            raw = x.tobytes()
            out += b"g" + _dtype_bytes(x.dtype) + _U32.pack(len(raw)) + raw
        elif t is Shallow:
            self._container(x.obj, depth, shallow=True)
        elif id(x) in self.memo:
            out += self.memo[id(x)]
        elif issubclass(t, (list, tuple, dict)) or isinstance(x, (np.ndarray, np.random.RandomState,
                                                                  np.random.Generator)):
            # a subclass (OrderedDict, defaultdict, a namedtuple) goes as the plain container it is,
            # read with the base class's own methods (never the subclass's)
            self._container(x, depth)
        elif t is type and x in _TYPE_NAMES.values():
            name = x.__name__.encode()
            out += b"k" + _U32.pack(len(name)) + name
        elif isinstance(x, np.dtype):
            out += b"D" + _dtype_bytes(x)
        else:
            raise NotPlain(t.__name__)

    def _container(self, x, depth, shallow=False):
        out = self.out
        if not shallow:
            self._remember(x)
        t = type(x)
        if issubclass(t, list):
            out += b"l" + _U32.pack(list.__len__(x))
            for v in list.__iter__(x):
                self.enc(v, depth + 1)
        elif issubclass(t, tuple):
            out += b"t" + _U32.pack(tuple.__len__(x))
            for v in tuple.__iter__(x):
                self.enc(v, depth + 1)
        elif issubclass(t, dict):
            out += b"d" + _U32.pack(dict.__len__(x))
            for k, v in dict.items(x):
                if type(k) not in (str, int, float, bool, tuple, type(None)) and type(k) not in _SCALAR_TYPES:
                    raise NotPlain(f"dict with a key of type {type(k).__name__}")
                self.enc(k, depth + 1)
                self.enc(v, depth + 1)
        elif isinstance(x, np.ndarray):
            a = np.ndarray.view(x, np.ndarray)              # a subclass: its data, as a plain array
            if a.dtype.str not in _DTYPES:
                raise NotPlain("array of Python objects (dtype=object)" if a.dtype == object
                               else f"array of dtype {a.dtype}")
            if a.nbytes > MAX_MESSAGE:
                raise NotPlain("array larger than %d MB" % (MAX_MESSAGE // 2 ** 20))
            out += b"a" + _dtype_bytes(a.dtype) + _U32.pack(a.ndim) + b"".join(_U64.pack(n) for n in a.shape)
            raw = np.ascontiguousarray(a).tobytes()
            out += _U64.pack(len(raw)) + raw
        elif isinstance(x, np.random.RandomState):
            out += b"M"
            self.enc(tuple(x.get_state()), depth + 1)
        elif isinstance(x, np.random.Generator):
            out += b"G"
            self.enc(x.bit_generator.state, depth + 1)
        else:
            raise NotPlain(t.__name__)


def _dtype_bytes(dt):
    s = dt.str
    if s not in _DTYPES:
        raise NotPlain(f"array of dtype {dt}")
    return _U32.pack(len(s)) + s.encode()


def encode(x, base=None):
    """(bytes, objects): the message, and its objects in order (what a reply's references index)."""
    e = _Encoder(base)
    e.enc(x)
    if len(e.out) > MAX_MESSAGE:
        raise NotPlain("data larger than %d MB" % (MAX_MESSAGE // 2 ** 20))
    return bytes(e.out), e.objs


class _Decoder:
    def __init__(self, data, base=None):
        self.data = memoryview(data)
        self.pos = 0
        self.objs = []
        self.base = base or []
        self.count = 0

    def take(self, n):
        if n < 0 or self.pos + n > len(self.data):
            raise ProtocolError("message cut short")
        chunk = self.data[self.pos:self.pos + n]
        self.pos += n
        return chunk

    def u32(self):
        return _U32.unpack(self.take(4))[0]

    def dec(self, depth=0):
        if depth > MAX_DEPTH + 2:
            raise ProtocolError("nested too deep")
        self.count += 1
        if self.count > MAX_VALUES + 16:                    # the encoder's cap, and the message's frame
            raise ProtocolError("too many values")
        tag = bytes(self.take(1))
        if tag == b"N":
            return None
        if tag == b"T":
            return True
        if tag == b"F":
            return False
        if tag == b"i":
            return _I64.unpack(self.take(8))[0]
        if tag == b"I":
            return int.from_bytes(self.take(self.u32()), "little", signed=True)
        if tag == b"f":
            return _F64.unpack(self.take(8))[0]
        if tag == b"c":
            return complex(*_C128.unpack(self.take(16)))
        if tag == b"s":
            return str(self.take(self.u32()), "utf-8", "surrogatepass")
        if tag == b"y":
            return bytes(self.take(self.u32()))
        if tag == b"g":                                        # a numpy scalar
            dt = self.dtype()
            raw = self.take(self.u32())
            if len(raw) != dt.itemsize:
                raise ProtocolError("scalar of the wrong size")
            return np.frombuffer(raw, dt)[0]
        if tag == b"D":
            return self.dtype()
        if tag == b"k":
            name = str(self.take(self.u32()), "ascii", "replace")
            if name not in _TYPE_NAMES:
                raise ProtocolError(f"unknown type {name!r}")
            return _TYPE_NAMES[name]
        if tag in (b"A", b"R"):
            table, i = (self.base if tag == b"A" else self.objs), self.u32()
            if i >= len(table):
                raise ProtocolError("reference to nothing")
            return table[i]
        return self.container(tag, depth)

    def dtype(self):
        s = str(self.take(self.u32()), "ascii", "replace")
        if s not in _DTYPES:
            raise ProtocolError(f"dtype {s!r} may not cross")
        return np.dtype(s)

    def container(self, tag, depth, into=None):
        slot = len(self.objs)
        if into is None:
            self.objs.append(None)
        if tag == b"l":
            out = [] if into is None else into
            if into is None:
                self.objs[slot] = out
            for _ in range(self.u32()):
                out.append(self.dec(depth + 1))
            return out
        if tag == b"t":
            n = self.u32()
            out = tuple(self.dec(depth + 1) for _ in range(n))
            if into is None:
                self.objs[slot] = out
            return out
        if tag == b"d":
            out = {} if into is None else into
            if into is None:
                self.objs[slot] = out
            for _ in range(self.u32()):
                k = self.dec(depth + 1)
                if type(k) in (list, dict, np.ndarray) or (type(k) is tuple and not _hashable(k)):
                    raise ProtocolError("a dict key that is not a plain value")
                out[k] = self.dec(depth + 1)
            return out
        if tag == b"a":
            dt = self.dtype()
            ndim = self.u32()
            if ndim > 32:
                raise ProtocolError("too many dimensions")
            shape = tuple(_U64.unpack(self.take(8))[0] for _ in range(ndim))
            n = _U64.unpack(self.take(8))[0]
            size = 1
            for d in shape:
                size *= d
            if size * dt.itemsize != n:
                raise ProtocolError("array bytes do not match its shape")
            out = np.frombuffer(self.take(n), dt).reshape(shape).copy()    # writable, its own memory
            if into is None:
                self.objs[slot] = out
            return out
        if tag in (b"M", b"G"):
            state = self.dec(depth + 1)
            try:
                if tag == b"M":
                    out = np.random.RandomState()
                    out.set_state(state)
                else:
                    name = state.get("bit_generator") if type(state) is dict else None
                    if name not in _BIT_GENERATORS:
                        raise ProtocolError(f"unknown bit generator {name!r}")
                    bg = getattr(np.random, name)()
                    bg.state = state
                    out = np.random.Generator(bg)
            except (TypeError, ValueError, KeyError, AttributeError) as e:
                raise ProtocolError(f"not a random generator's state: {e}") from None
            if into is None:
                self.objs[slot] = out
            return out
        raise ProtocolError(f"unknown tag {tag!r}")


def _hashable(k):
    try:
        hash(k)
    except TypeError:
        return False
    return True


def decode(data, base=None):
    """(value, objects) from bytes; `base` is the list of objects that A-references point to."""
    d = _Decoder(data, base)
    try:
        value = d.dec()
    except ProtocolError:
        raise
    except (ValueError, TypeError, OverflowError, MemoryError, RecursionError, struct.error) as e:
        raise ProtocolError(f"malformed message: {type(e).__name__}") from None
    if d.pos != len(d.data):
        raise ProtocolError("bytes after the end of the message")
    return value, d.objs


# -- what a call changed in place -------------------------------------------------------------------

def fingerprints(objs):
    """One fingerprint per object of a request, of its own content (its elements that are request
    objects count by identity, which is stable while `objs` holds them): compared before and
    after a call to see what it changed in place."""
    out = []
    for o in objs:
        t = type(o)
        if t is tuple:
            out.append(None)                        # immutable: its elements speak for themselves
        elif t is np.ndarray:
            out.append((o.dtype.str, o.shape, hashlib.blake2b(np.ascontiguousarray(o).data, digest_size=16).digest()))
        elif t is list:
            out.append(tuple(_item(v) for v in o))
        elif t is dict:
            out.append(tuple((_item(k), _item(v)) for k, v in dict.items(o)))
        else:                                        # a random generator: its state
            try:
                raw = encode(Shallow(o), objs)[0]
            except NotPlain as e:
                raw = b"?" + str(e).encode()
            out.append(hashlib.blake2b(raw, digest_size=16).digest())
    return out


def _item(v):
    """An element as a fingerprint sees it: a plain value by value, anything else by identity."""
    t = type(v)
    return (t, v) if t in (str, int, float, bool, complex, bytes) or v is None else id(v)


def changed(objs, before):
    """[(index, Shallow(obj))] of the request objects whose content differs from `before`."""
    after = fingerprints(objs)
    return [[i, Shallow(objs[i])] for i, (a, b) in enumerate(zip(before, after)) if a != b]


def apply_changes(objs, changes):
    """Make the caller's objects what the callee's became (`changes` decoded with `objs` as base).
    Raises ProtocolError if a change cannot be made in place (an array of another shape)."""
    for i, new in changes:
        if type(i) is not int or not 0 <= i < len(objs):
            raise ProtocolError("a change to no argument")
        target = objs[i]
        if isinstance(target, np.ndarray):
            if type(new) is not np.ndarray or new.shape != target.shape or new.dtype != target.dtype:
                raise ProtocolError("an argument array changed its shape or dtype in place")
            target[...] = new
        elif type(target) is list and type(new) is list:
            target[:] = new
        elif type(target) is dict and type(new) is dict:
            target.clear()
            target.update(new)
        elif isinstance(target, np.random.RandomState) and isinstance(new, np.random.RandomState):
            target.set_state(new.get_state())
        elif isinstance(target, np.random.Generator) and isinstance(new, np.random.Generator):
            target.bit_generator.state = new.bit_generator.state
        else:
            raise ProtocolError("an argument changed into another kind of object")


def decode_changes(data_changes):
    """The changes part of an answer: [[index, value], ...] checked for shape."""
    if type(data_changes) is not list or not all(type(c) is list and len(c) == 2 for c in data_changes):
        raise ProtocolError("malformed list of changed arguments")
    return data_changes


# -- framing on a pipe --------------------------------------------------------------------------------

class Closed(Exception):
    """The other side closed the pipe (it exited or died)."""


class TimedOut(Exception):
    """No whole message arrived before the deadline."""


def send(fd, payload: bytes):
    data = _U32.pack(len(payload)) + payload
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _read_exact(fd, n, deadline):
    chunks, got = [], 0
    while got < n:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimedOut()
            ready, _, _ = select.select([fd], [], [], min(left, 1.0))
            if not ready:
                continue
        chunk = os.read(fd, min(n - got, 1 << 20))
        if not chunk:
            raise Closed()
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def receive(fd, deadline=None) -> bytes:
    """One message's bytes; ProtocolError if the announced length is over MAX_MESSAGE."""
    n = _U32.unpack(_read_exact(fd, 4, deadline))[0]
    if n > MAX_MESSAGE:
        raise ProtocolError(f"a message of {n} bytes (limit {MAX_MESSAGE})")
    return _read_exact(fd, n, deadline)


def cap(text, limit=MAX_TEXT):
    text = str(text)
    return text if len(text) <= limit else text[:limit] + " [message cut]"


# -- exceptions across the pipe ---------------------------------------------------------------------

import builtins as _builtins  # noqa: E402

#: builtin exceptions that are raised again as themselves on the other side; any other becomes
#: the nearest of these in its class's ancestry (a learner's class MyError(ValueError): ValueError)
_NOT_REBUILT = {"StopIteration", "StopAsyncIteration", "GeneratorExit", "KeyboardInterrupt", "SystemExit",
                "BaseException", "BaseExceptionGroup", "ExceptionGroup"}
REBUILT = {name: cls for name, cls in vars(_builtins).items()
           if isinstance(cls, type) and issubclass(cls, Exception) and name not in _NOT_REBUILT}


class RemoteError(Exception):
    """An exception of the other side whose class is not a builtin one (shown by its own name)."""


def reaches(tb, code):
    """True if the traceback goes on past its first frame into `code` (the error is in that
    function's body, not in the call of it)."""
    tb = tb.tb_next
    while tb is not None:
        if tb.tb_frame.f_code is code:
            return True
        tb = tb.tb_next
    return False


def describe(e, where=""):
    """[builtin base name, shown name, args, where] of an exception: plain data, capped."""
    base = next((c.__name__ for c in type(e).__mro__ if REBUILT.get(c.__name__) is c), "Exception")
    args = list(getattr(e, "args", ()))
    if type(e) is not REBUILT.get(base) or len(args) > 4 \
            or not all(type(a) in (str, float, bool) or a is None or (type(a) is int and -2 ** 63 <= a < 2 ** 63)
                       for a in args):
        try:                     # a subclass, or arguments that are objects: its text only
            args = [str(e)]
        except Exception:  # noqa: BLE001 (a learner's __str__ may raise)
            args = [f"<{type(e).__name__}>"]
    return [base, cap(type(e).__name__, 100), [cap(a) if type(a) is str else a for a in args], cap(where, 500)]


def rebuild(info):
    """The exception `describe` described, as its builtin type; its description rides along."""
    if type(info) is not list or len(info) != 4 or type(info[0]) is not str or type(info[1]) is not str \
            or type(info[2]) is not list or type(info[3]) is not str:
        raise ProtocolError("malformed exception")
    base, shown, args, where = info
    cls = REBUILT.get(base, RemoteError)
    try:
        e = cls(*args)
    except Exception:  # noqa: BLE001 (a builtin with other arguments, such as UnicodeDecodeError)
        e = RemoteError(*[str(a) for a in args])
    e._remote = (shown, where)
    return e
