import json
from pathlib import Path

import rustdir


def test_the_installed_wheel_is_imported():
    # The sources at the project root have no compiled _native module: importing them would fail
    # above, and they are not under site-packages.
    assert "site-packages" in Path(rustdir.__file__).parts


def test_reads_the_repository_data(answer):
    data = json.loads((Path(__file__).parent / "../../data/x.json").read_text())
    assert rustdir.double(data["value"]) == answer
    assert rustdir.halve(answer) == data["value"]
