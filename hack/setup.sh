# shellcheck shell=bash
# The set-up every build and lab script shares; source it (`. hack/setup.sh`) from the repository root.
# On a fresh Debian/Ubuntu machine it makes the two commands of the README work by themselves:
#   floatip_packages TOOL:PACKAGE...  installs the missing tools' packages with apt-get when root; else
#                                     names them and returns 1
#   floatip_jdk                       exports JAVA_HOME (and PATH) for a JDK >= 21: $JAVA_HOME, java on PATH,
#                                     /usr/lib/jvm/* (FLOATIP_JVM_ROOT); as root on Ubuntu installs openjdk-21-jdk-headless.
#                                     Debian 12 has no JDK 21 package: it says what to do and returns 1
#   floatip_setup                     both, for the build: curl + unzip (the Maven wrapper's download) and a
#                                     JDK; exports MVN (this checkout's ./mvnw: Maven 3.9 from Maven Central,
#                                     cached in ~/.m2/wrapper; the system's mvn is never used)
# FLOATIP_NO_INSTALL=1 turns installing off (dry runs). Messages go to stderr.

FLOATIP_ROOT=${FLOATIP_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
FLOATIP_JDK_MIN=21

_floatip_say() { printf 'setup: %s\n' "$*" >&2; }

# The major version of a java binary, or nothing.
_floatip_java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}

_floatip_jdk_ok() {
  local home=$1 major
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 1
  major=$(_floatip_java_major "$home/bin/java")
  [ -n "$major" ] && [ "${major%%.*}" -ge "$FLOATIP_JDK_MIN" ] 2>/dev/null
}

floatip_packages() {
  local need=() spec
  for spec in "$@"; do
    command -v "${spec%%:*}" >/dev/null 2>&1 || need+=("${spec#*:}")
  done
  [ "${#need[@]}" -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && [ -z "${FLOATIP_NO_INSTALL:-}" ] && command -v apt-get >/dev/null 2>&1; then
    _floatip_say "installing ${need[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2 ||
      { _floatip_say "apt-get install ${need[*]} failed"; return 1; }
    return 0
  fi
  _floatip_say "missing: ${need[*]}; install them (Debian/Ubuntu: sudo apt-get install ${need[*]}) or run as root"
  return 1
}

floatip_jdk() {
  local candidate
  for candidate in "${JAVA_HOME:-}" \
    "$(command -v javac >/dev/null 2>&1 && dirname "$(dirname "$(readlink -f "$(command -v javac)")")")" \
    $(ls -d "${FLOATIP_JVM_ROOT:-/usr/lib/jvm}"/*/ 2>/dev/null | sort -rV); do
    candidate=${candidate%/}
    if [ -n "$candidate" ] && _floatip_jdk_ok "$candidate"; then
      export JAVA_HOME=$candidate PATH=$candidate/bin:$PATH
      return 0
    fi
  done
  if [ "$(id -u)" = 0 ] && [ -z "${FLOATIP_NO_INSTALL:-}" ] && command -v apt-get >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || true
    local pkg
    for pkg in openjdk-25-jdk-headless openjdk-21-jdk-headless; do
      if apt-cache show "$pkg" >/dev/null 2>&1; then
        _floatip_say "installing $pkg"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$pkg" >&2 &&
          FLOATIP_NO_INSTALL=1 floatip_jdk 2>/dev/null && return 0
      fi
    done
  fi
  cat >&2 <<EOF
setup: no JDK >= $FLOATIP_JDK_MIN found (looked at \$JAVA_HOME, javac on PATH and /usr/lib/jvm/*).
  Ubuntu 22.04+: sudo apt-get install openjdk-21-jdk-headless (this script does it when run as root).
  Debian 12 has no JDK 21 in its archive; install Eclipse Temurin from its apt repository:
    sudo apt-get install -y wget apt-transport-https gpg
    wget -qO- https://packages.adoptium.net/artifactory/api/gpg/key/public | sudo gpg --dearmor -o /etc/apt/keyrings/adoptium.gpg
    echo "deb [signed-by=/etc/apt/keyrings/adoptium.gpg] https://packages.adoptium.net/artifactory/deb \$(. /etc/os-release; echo \$VERSION_CODENAME) main" | sudo tee /etc/apt/sources.list.d/adoptium.list
    sudo apt-get update && sudo apt-get install -y temurin-25-jdk
  or unpack a JDK tarball (https://adoptium.net/temurin/releases/) and set JAVA_HOME to it.
EOF
  return 1
}

floatip_setup() {
  floatip_packages curl:curl unzip:unzip || return 1
  floatip_jdk || return 1
  export MVN=$FLOATIP_ROOT/mvnw
}
