from setup import it_works

def test_works():
    assert it_works()
