# Shared set-up for the scripts: the system packages Tapedeck builds against.
# Sourced, not run.

# Debian packages the build links against: libcurl (recording), libxml2 (JUnit), zlib (PNG),
# libpng, libjpeg-turbo and libwebp (making and decoding images), pkg-config (finding them).
TAPEDECK_SYSTEM_PACKAGES=(libcurl4-openssl-dev libxml2-dev zlib1g-dev libpng-dev libturbojpeg0-dev libwebp-dev pkg-config)

# Debian packages only the tests need: a headless browser that renders the HTML report, and
# the openssl command, which makes a self-signed certificate for the HTTPS recording tests.
TAPEDECK_TEST_PACKAGES=(chromium openssl)

# Installs whatever of the given Debian packages is missing (as root, or through sudo).
ensure_debian_packages() {
    local missing=()
    local package
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "Installing system packages: ${missing[*]}"
    local run_as_root=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then
            run_as_root=(sudo)
        else
            echo "error: these packages are missing and installing them needs root: ${missing[*]}" >&2
            echo "       run: apt-get install -y ${missing[*]}" >&2
            exit 2
        fi
    fi
    "${run_as_root[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${run_as_root[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
}

ensure_build_environment() {
    if ! command -v swift >/dev/null 2>&1; then
        echo "error: the Swift toolchain (6.2 or later) is not on PATH; install it from swift.org, then run this again" >&2
        exit 2
    fi
    ensure_debian_packages "${TAPEDECK_SYSTEM_PACKAGES[@]}"
}

# The build environment plus what only the tests use.
ensure_test_environment() {
    ensure_build_environment
    ensure_debian_packages "${TAPEDECK_TEST_PACKAGES[@]}"
}

# A virtual environment in .venv with the given requirements files installed.
ensure_python_venv() {
    local requirement_arguments=()
    local requirements
    for requirements in "$@"; do
        requirement_arguments+=(-r "$requirements")
    done
    if ! command -v python3 >/dev/null 2>&1; then
        ensure_debian_packages python3 python3-venv
    elif ! python3 -c "import venv, ensurepip" 2>/dev/null; then
        ensure_debian_packages python3-venv
    fi
    if [ ! -x .venv/bin/python ]; then
        python3 -m venv .venv
    fi
    .venv/bin/pip install --quiet --disable-pip-version-check "${requirement_arguments[@]}"
}
