# Two commands do all the set-up: `make run` starts the app, `make test` runs the tests.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test test-slow lint bench soak system-deps clean

run: $(STAMP)
	$(PY) main.py

# Two processes (each its own virtual display), the slow tests left to test-slow: about 4 minutes on two cores.
test: $(STAMP) system-deps
	$(PY) -m pytest -n 2 -m "not slow"

# The slow tests (launches, signals, the monkey, benchmarks) on a quiet machine, one at a time: CI runs them too.
test-slow: $(STAMP) system-deps
	$(PY) -m pytest -m slow

lint: $(STAMP)
	$(PY) -m ruff check . && $(PY) -m ruff format --check .

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,dev]"
	touch $(STAMP)

bench: $(STAMP) system-deps
	xvfb-run -a -s "-screen 0 1680x1050x24" $(PY) main.py bench

soak: $(STAMP) system-deps
	xvfb-run -a -s "-screen 0 1680x1050x24" $(PY) main.py soak --minutes 10

# The virtual display and the GL/XCB libraries Qt needs (Debian/Ubuntu); does nothing when present.
system-deps:
	@bash scripts/system-deps.sh

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build dist adamgui.spec adamgui.egg-info

# A one-folder standalone build (dist/adamgui/adamgui), then proof that it runs headless.
PYINSTALLER_ARGS := --noconfirm --clean --onedir --name adamgui --log-level WARN \
	--add-data resources:resources --collect-data pyqtgraph --collect-submodules imageio \
	--collect-all imageio_ffmpeg --exclude-module numba --exclude-module llvmlite --collect-data ziamath --collect-data ziafont --collect-data latex2mathml --icon resources/icons/adamgui-256.png

.PHONY: app app-check install-desktop wheel-check

# pip-installable: the wheel, installed into a fresh venv, gives a working `adamgui` (resources and data included).
wheel-check: $(STAMP) system-deps
	rm -rf dist/wheel dist/wheel-venv
	$(PY) -m pip wheel . --no-deps --quiet -w dist/wheel
	python3 -m venv dist/wheel-venv
	dist/wheel-venv/bin/pip install --quiet dist/wheel/adamgui-*.whl
	cd dist && wheel-venv/bin/adamgui --version
	cd dist && wheel-venv/bin/adamgui run --preset seed-notebook --steps 3 --format json > wheel-check.json
	cd dist && wheel-venv/bin/adamgui run --surface linear-regression --steps 3 > wheel-check.csv
	cd dist && wheel-venv/bin/python -c "import adamgui; print(adamgui.run(adamgui.chapter('adam'), 3).final_positions())"
	cd dist && xvfb-run -a -s "-screen 0 1366x768x24" wheel-venv/bin/adamgui render --lesson adam --steps 3 --view window --size 1366x768 --output wheel-check.png
	@echo "The installed wheel runs and draws its window: dist/wheel-check.json, dist/wheel-check.csv, dist/wheel-check.png"

app: $(STAMP)
	$(PY) -m pip install --quiet "pyinstaller>=6.10,<7"
	$(PY) -m PyInstaller $(PYINSTALLER_ARGS) main.py

app-check: app system-deps
	dist/adamgui/adamgui --version
	dist/adamgui/adamgui render --preset seed-notebook --steps 10 --view contour --output dist/check-2d.png
	xvfb-run -a -s "-screen 0 1600x1000x24" dist/adamgui/adamgui render --preset ravine --steps 20 --view surface --output dist/check-3d.png
	dist/adamgui/adamgui render --lesson adam --steps 3 --view contour --output dist/check-lesson.png
	dist/adamgui/adamgui run --preset seed-notebook --steps 3 --format json > dist/check.json
	@echo "The built app runs: dist/check-2d.png, dist/check-3d.png, dist/check-lesson.png, dist/check.json"

install-desktop: $(STAMP)
	$(PY) main.py install-desktop
