import sysconfig

import abi3


def test_greet():
    assert abi3.greet("wheel") == "hello, wheel"


def test_the_extension_suits_this_interpreter():
    # Free-threaded CPython cannot load abi3 extensions: its wheel holds a cp3XYt extension, or
    # from 3.15 an abi3t one (PEP 803), which GIL-enabled 3.15 loads too.
    extension = abi3.abi3.__file__
    if sysconfig.get_config_var("Py_GIL_DISABLED"):
        assert ".abi3." not in extension
    assert extension.endswith((".so", ".pyd"))
