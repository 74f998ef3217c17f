#!/usr/bin/env bash
# Checks docker-compose.yml, the Dockerfile, .dockerignore and otel/ on a machine without a Docker engine.
#   scripts/check-compose.sh            static checks (a second); exits 1 listing every problem found
#   scripts/check-compose.sh --publish  also replays the Dockerfile's restore and publish stages in a temporary
#                                       folder, with the files .dockerignore lets in, and prints the image sizes
# `docker compose config` runs too when the compose plugin is installed (it needs no engine). What only an engine
# can tell (the images build and pull, the containers start and turn healthy) is not checked here.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

publish=0
case "${1:-}" in
  "") ;;
  --publish) publish=1 ;;
  *) die "usage: $0 [--publish]" ;;
esac

cd "$ROOT_DIR"
python3 -c 'import yaml' 2>/dev/null || die "python3 with PyYAML is needed (apt-get install python3-yaml)"

if docker compose version >/dev/null 2>&1; then
  docker compose -f docker-compose.yml config --quiet || die "docker compose config rejected docker-compose.yml"
  log "ok: docker compose config parses docker-compose.yml"
else
  log "note: no 'docker compose' here; docker-compose.yml is checked by the rules below only"
fi

PUBLISH="$publish" python3 - <<'PY'
import functools, glob, json, os, re, shlex, shutil, subprocess, sys, tempfile
import xml.etree.ElementTree as ET
import yaml

ROOT = os.getcwd()
problems = []


def fail(message):
    problems.append(message)


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


def exists(path):
    return os.path.exists(os.path.join(ROOT, path))


# ---------------------------------------------------------------- compose file, interpolated as compose would,
# with every shell variable unset: the defaults are what must hold together.
INTERPOLATION = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)")


def interpolate(value, where):
    def substitute(match):
        if match.group(0) == "$$":
            return "$"
        name, operator, argument = match.group(1) or match.group(4), match.group(2), match.group(3)
        if operator in (":-", "-"):
            return argument
        if operator in (":?", "?"):
            fail(f"{where}: ${{{name}}} is required, so `docker compose up` fails unless it is set")
        return ""

    if isinstance(value, str):
        return INTERPOLATION.sub(substitute, value)
    if isinstance(value, list):
        return [interpolate(item, where) for item in value]
    if isinstance(value, dict):
        return {key: interpolate(item, f"{where}.{key}") for key, item in value.items()}
    return value


try:
    compose = interpolate(yaml.safe_load(read("docker-compose.yml")), "docker-compose.yml")
except (OSError, yaml.YAMLError) as error:
    print(f"error: docker-compose.yml: {error}", file=sys.stderr)
    sys.exit(1)

services = compose.get("services") or {}
for key in compose:
    if key not in ("name", "services", "volumes", "networks", "configs", "secrets") and not key.startswith("x-"):
        fail(f"docker-compose.yml: unknown top-level key '{key}'")

EXPECTED_SERVICES = {"postgres", "rabbitmq", "otel-collector", "jaeger", "prometheus", "twilio-emulator", "migrate",
                     "api", "dispatcher", "scheduler"}
for name in sorted(EXPECTED_SERVICES - services.keys()):
    fail(f"docker-compose.yml: service '{name}' is missing")
for name in sorted(services.keys() - EXPECTED_SERVICES):
    fail(f"docker-compose.yml: service '{name}' is not one this check knows: add it to EXPECTED_SERVICES with its rules")

SERVICE_KEYS = {"image", "build", "command", "entrypoint", "environment", "env_file", "ports", "expose", "volumes",
                "depends_on", "healthcheck", "restart", "hostname", "stop_grace_period", "stop_signal", "init",
                "user", "working_dir", "labels", "networks", "deploy", "profiles", "logging", "extra_hosts",
                "container_name", "read_only", "tmpfs", "ulimits", "cap_drop", "cap_add", "security_opt",
                "pull_policy", "shm_size"}
for name, service in services.items():
    for key in service:
        if key not in SERVICE_KEYS:
            fail(f"services.{name}: unknown key '{key}'")
    if "image" not in service and "build" not in service:
        fail(f"services.{name}: neither image nor build")


def env_of(service):
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) if "=" in item else (item, "") for item in environment)
    return {key: "" if value is None else str(value) for key, value in environment.items()}


# ---------------------------------------------------------------- .dockerignore, matched as BuildKit does
# (last matching pattern wins; a pattern that matches a parent folder matches what is inside it).
def ignore_patterns():
    patterns = []
    if exists(".dockerignore"):
        for line in read(".dockerignore").splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            exclusion = line.startswith("!")
            pattern = os.path.normpath(line[1:] if exclusion else line).lstrip("/")
            regex, i = "", 0
            while i < len(pattern):
                if pattern.startswith("**/", i):
                    regex, i = regex + "(.*/)?", i + 3
                elif pattern.startswith("**", i):
                    regex, i = regex + ".*", i + 2
                elif pattern[i] == "*":
                    regex, i = regex + "[^/]*", i + 1
                elif pattern[i] == "?":
                    regex, i = regex + "[^/]", i + 1
                else:
                    regex, i = regex + re.escape(pattern[i]), i + 1
            patterns.append((re.compile(f"^{regex}$"), exclusion, pattern))
    return patterns


IGNORE = ignore_patterns()


def ignored(path):
    parts = path.split("/")
    result = False
    for regex, exclusion, _ in IGNORE:
        if any(regex.match("/".join(parts[:n])) for n in range(len(parts), 0, -1)):
            result = not exclusion
    return result


def may_hold_included(directory):
    """False when the folder is ignored and no exception pattern can bring anything inside it back."""
    if not ignored(directory):
        return True
    return any(exclusion and (text.startswith("*") or text.startswith(directory + "/")) for _, exclusion, text in IGNORE)


def context_files():
    for folder, directories, files in os.walk(ROOT):
        directories[:] = [d for d in directories if d != ".git"
                          and may_hold_included(os.path.relpath(os.path.join(folder, d), ROOT))]
        for file in files:
            relative = os.path.relpath(os.path.join(folder, file), ROOT)
            if not ignored(relative):
                yield relative


CONTEXT = sorted(context_files())

# ---------------------------------------------------------------- the solution, its projects, what `make run` starts
SOLUTION = "SmsRemarketing.sln"
SOLUTION_PROJECTS = {path.replace("\\", "/") for path in
                     re.findall(r'^Project\("\{[^}]+\}"\) = "[^"]+", "([^"]+\.csproj)"', read(SOLUTION), re.M)}

stack = read("scripts/stack.sh")
MAKE_RUN_CONFIGURATION = (re.search(r"^CONFIGURATION=(\w+)", stack, re.M) or [None, None])[1]
MAKE_RUN_PROJECTS = {}  # project folder -> assembly, from stack.sh's dll_of
for folder, assembly in re.findall(r"\$ROOT_DIR/(\S+?)/bin/\$CONFIGURATION/net[\d.]+/(\S+?)\.dll", stack):
    MAKE_RUN_PROJECTS[folder] = assembly
if not MAKE_RUN_CONFIGURATION or not MAKE_RUN_PROJECTS:
    fail("scripts/stack.sh: could not read CONFIGURATION and the dll_of paths (the check reads them to compare)")

build_props = ET.parse(os.path.join(ROOT, "Directory.Build.props")).getroot()
ASSEMBLY_NAME_PATTERN = next((e.text for e in build_props.iter("AssemblyName")), "$(MSBuildProjectName)")
TARGET_FRAMEWORK = next((e.text for e in build_props.iter("TargetFramework")), "")
SDK_VERSION = json.loads(read("global.json"))["sdk"]["version"]


def assembly_of(project):
    own = next((e.text for e in ET.parse(os.path.join(ROOT, project)).getroot().iter("AssemblyName")), None)
    name = os.path.splitext(os.path.basename(project))[0]
    return (own or ASSEMBLY_NAME_PATTERN).replace("$(MSBuildProjectName)", name)


def references_closure(project):
    seen, pending = [], [project]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.append(current)
        if not exists(current):
            fail(f"{project}: referenced project {current} does not exist")
            continue
        for reference in ET.parse(os.path.join(ROOT, current)).getroot().iter("ProjectReference"):
            target = os.path.normpath(os.path.join(os.path.dirname(current), reference.get("Include").replace("\\", "/")))
            pending.append(target)
    return seen


def needs_aspnetcore(project):
    for current in references_closure(project):
        if not exists(current):
            continue
        root = ET.parse(os.path.join(ROOT, current)).getroot()
        if root.get("Sdk") == "Microsoft.NET.Sdk.Web" or any(
                e.get("Include") == "Microsoft.AspNetCore.App" for e in root.iter("FrameworkReference")):
            return True
    return False


@functools.lru_cache(maxsize=None)
def code_of(project):
    """The project's and its references' C# files, separated by NULs so a match stays within one file."""
    texts = []
    for current in references_closure(project):
        for path in glob.glob(os.path.join(ROOT, os.path.dirname(current), "**", "*.cs"), recursive=True):
            if "/bin/" not in path and "/obj/" not in path:
                with open(path, encoding="utf-8") as f:
                    texts.append(f.read())
    return "\x00".join(texts)


# ---------------------------------------------------------------- Dockerfiles
OFFICIAL_BASE_IMAGES = {"mcr.microsoft.com/dotnet/sdk", "mcr.microsoft.com/dotnet/aspnet", "mcr.microsoft.com/dotnet/runtime"}


def parse_dockerfile(path):
    """Instructions as (keyword, arguments), continuation lines joined, comments dropped."""
    instructions, current = [], ""
    for line in read(path).splitlines():
        stripped = line.strip()
        if stripped.startswith("#") or (not stripped and current):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        current += stripped
        if current.strip():
            keyword, _, arguments = current.strip().partition(" ")
            instructions.append((keyword.upper(), arguments.strip()))
        current = ""
    return instructions


def copy_arguments(arguments):
    flags, rest = {}, arguments
    while rest.startswith("--"):
        flag, _, rest = rest.partition(" ")
        key, _, value = flag[2:].partition("=")
        flags[key] = value
        rest = rest.strip()
    paths = json.loads(rest) if rest.startswith("[") else shlex.split(rest)
    return flags, paths[:-1], paths[-1]


class Stage:
    def __init__(self, base, name):
        self.base, self.name, self.instructions = base, name, []

    def chain(self, stages):
        """This stage and the stages it is built FROM, nearest first."""
        stage, result = self, []
        while stage is not None:
            result.append(stage)
            stage = stages.get(stage.base)
        return result


def load_dockerfile(path):
    stages, order = {}, []
    for keyword, arguments in parse_dockerfile(path):
        if keyword == "FROM":
            words = arguments.split()
            name = words[2] if len(words) >= 3 and words[1].lower() == "as" else f"#{len(order)}"
            stage = Stage(words[0], name)
            stages[name] = stage
            order.append(stage)
        elif order:
            order[-1].instructions.append((keyword, arguments))
        elif keyword != "ARG":
            fail(f"{path}: {keyword} before the first FROM")
    return stages, order


def arg_defaults(stage):
    values = {}
    for keyword, arguments in stage.instructions:
        if keyword == "ARG" and "=" in arguments:
            name, _, value = arguments.partition("=")
            values[name] = value.strip('"')
    return values


def check_dockerfile(path, targets):
    """Checks one Dockerfile; returns {target: (project, assembly, port or None)} for the compose checks."""
    stages, order = load_dockerfile(path)
    framework = TARGET_FRAMEWORK.replace("net", "")
    if not SDK_VERSION.startswith(framework + "."):
        fail(f"global.json: SDK {SDK_VERSION} is not the {TARGET_FRAMEWORK} of Directory.Build.props")
    for stage in order:
        if stage.base not in stages:
            image, _, tag = stage.base.partition(":")
            if image not in OFFICIAL_BASE_IMAGES:
                fail(f"{path}: FROM {stage.base}: not one of the official .NET images {sorted(OFFICIAL_BASE_IMAGES)}")
            elif tag != framework:
                fail(f"{path}: FROM {stage.base}: tag should be {framework}, the {TARGET_FRAMEWORK} of Directory.Build.props")
        for keyword, arguments in stage.instructions:
            if keyword not in ("COPY", "ADD"):
                continue
            flags, sources, _ = copy_arguments(arguments)
            if "from" in flags:
                if flags["from"] not in stages or order.index(stages[flags["from"]]) >= order.index(stage):
                    fail(f"{path}: COPY --from={flags['from']}: no such stage before '{stage.name}'")
                continue
            for source in sources:
                normalized = os.path.normpath(source).rstrip("/")
                if normalized == ".":
                    continue
                if not exists(normalized):
                    fail(f"{path}: COPY {source}: not in the repository")
                elif not any(f == normalized or f.startswith(normalized + "/") for f in CONTEXT):
                    fail(f"{path}: COPY {source}: .dockerignore leaves nothing of it in the build context")

    build_stage = next((s for s in order if any("dotnet publish" in a for k, a in s.instructions if k == "RUN")), None)
    if build_stage is None:
        fail(f"{path}: no stage runs dotnet publish")
        return {}
    run_text = " ".join(a for k, a in build_stage.instructions if k == "RUN")
    projects = arg_defaults(build_stage).get("PROJECTS", "").split()
    if not projects:
        fail(f"{path}: stage '{build_stage.name}' has no ARG PROJECTS=\"…\" list to publish")
    if not re.search(rf"dotnet publish .*-c {MAKE_RUN_CONFIGURATION}\b", run_text):
        fail(f"{path}: dotnet publish is not -c {MAKE_RUN_CONFIGURATION}, the configuration `make run` builds")
    if "--no-restore" not in run_text or "dotnet restore" not in run_text:
        fail(f"{path}: the build stage should restore first, then publish --no-restore")
    for project in projects:
        if project not in SOLUTION_PROJECTS:
            fail(f"{path}: {project} is published but is not in {SOLUTION}")
        for reference in references_closure(project):
            if reference not in CONTEXT:
                fail(f"{path}: .dockerignore keeps {reference} out of the build context ({project} needs it)")
    for build_file in ("global.json", "Directory.Build.props", "Directory.Packages.props", ".editorconfig"):
        if exists(build_file) and build_file not in CONTEXT:
            fail(f"{path}: .dockerignore keeps {build_file} out of the build context; the build needs it")
    published_folders = {os.path.dirname(p) for p in projects}
    for folder in sorted(set(MAKE_RUN_PROJECTS) - published_folders):
        fail(f"{path}: `make run` starts {folder} (scripts/stack.sh) but the Dockerfile does not publish it")
    for folder in sorted(published_folders - set(MAKE_RUN_PROJECTS)):
        fail(f"{path}: publishes {folder}, which `make run` does not start")

    found = {}
    for target in targets:
        stage = stages.get(target)
        if stage is None:
            fail(f"{path}: no stage named '{target}' (docker-compose.yml builds that target)")
            continue
        chain = stage.chain(stages)
        base_image = chain[-1].base.partition(":")[0]
        copies = [copy_arguments(a) for k, a in stage.instructions if k == "COPY"]
        published = [s for flags, sources, _ in copies if flags.get("from") == build_stage.name for s in sources]
        project = None
        if len(published) != 1 or not published[0].startswith("/app/"):
            fail(f"{path}: stage '{target}' should copy exactly one published folder (/app/<project folder>)")
        else:
            folder_name = published[0][len("/app/"):].strip("/")
            project = next((p for p in projects if os.path.basename(os.path.dirname(p)) == folder_name), None)
            if project is None:
                fail(f"{path}: stage '{target}' copies /app/{folder_name}, which no PROJECTS entry publishes")
        entrypoints = [json.loads(a) for s in chain for k, a in s.instructions if k == "ENTRYPOINT"]
        users = [a for s in chain for k, a in s.instructions if k == "USER"]
        if not users or users[0] in ("root", "0", "0:0"):
            fail(f"{path}: stage '{target}' runs as root; add USER $APP_UID")
        assembly = None
        if project:
            assembly = assembly_of(project)
            if not entrypoints or entrypoints[0] != ["dotnet", f"{assembly}.dll"]:
                fail(f"{path}: stage '{target}' should have ENTRYPOINT [\"dotnet\", \"{assembly}.dll\"] (exec form, so SIGTERM reaches the process)")
            expected = MAKE_RUN_PROJECTS.get(os.path.dirname(project))
            if expected and expected != assembly:
                fail(f"{path}: stage '{target}' runs {assembly}, `make run` runs {expected} from {os.path.dirname(project)}")
            if needs_aspnetcore(project) and base_image != "mcr.microsoft.com/dotnet/aspnet":
                fail(f"{path}: stage '{target}' needs the ASP.NET Core runtime ({project} or a reference uses it) but is based on {base_image}")
        ports = [a.partition("=")[2] for s in chain for k, a in s.instructions
                 if k == "ENV" and a.startswith("ASPNETCORE_HTTP_PORTS=")]
        found[target] = (project, assembly, ports[0] if ports else None)
    return found


# ---------------------------------------------------------------- build contexts
built = {}  # service -> (project, assembly, http port)
dockerfiles = {}
for name, service in services.items():
    build = service.get("build")
    if build is None:
        continue
    if isinstance(build, str):
        build = {"context": build}
    context = os.path.normpath(build.get("context", "."))
    dockerfile = os.path.normpath(os.path.join(context, build.get("dockerfile", "Dockerfile")))
    if context != ".":
        fail(f"services.{name}: build context {context}: the Dockerfile needs the repository root as its context")
    if not os.path.isdir(os.path.join(ROOT, context)):
        fail(f"services.{name}: build context {context} does not exist")
    elif not exists(dockerfile):
        fail(f"services.{name}: dockerfile {dockerfile} does not exist")
    else:
        dockerfiles.setdefault(dockerfile, {})[build.get("target")] = name
for dockerfile, targets in dockerfiles.items():
    for target, (project, assembly, port) in check_dockerfile(dockerfile, [t for t in targets if t]).items():
        built[targets[target]] = (project, assembly, port)
    if None in targets:
        fail(f"services.{targets[None]}: build has no target; the shared Dockerfile builds one image per target")

# ---------------------------------------------------------------- images
EXPECTED_IMAGES = {"postgres", "rabbitmq", "otel/opentelemetry-collector-contrib", "jaegertracing/jaeger", "prom/prometheus"}
for name, service in services.items():
    if "build" in service:
        continue
    image, _, tag = service["image"].partition(":")
    if image not in EXPECTED_IMAGES:
        fail(f"services.{name}: image {service['image']} is not one of {sorted(EXPECTED_IMAGES)}")
    if not tag or tag == "latest":
        fail(f"services.{name}: image {service['image']} should name a version, not latest")
if "management" not in services.get("rabbitmq", {}).get("image", ""):
    fail("services.rabbitmq: use a -management image, for the management UI")

# ---------------------------------------------------------------- ports, volumes, scaling
published = {}
for name, service in services.items():
    for port in service.get("ports") or []:
        parts = str(port).split(":")
        if len(parts) < 2:
            fail(f"services.{name}: port {port} has no host port, so docker picks one at random")
            continue
        host = ":".join(parts[:-1])
        if host in published:
            fail(f"services.{name}: host port {host} is also published by {published[host]}")
        published[host] = name
declared_volumes = set((compose.get("volumes") or {}).keys())
for name, service in services.items():
    for volume in service.get("volumes") or []:
        source = (volume.get("source") if isinstance(volume, dict) else str(volume).split(":")[0])
        if source.startswith((".", "/")):
            if not exists(source):
                fail(f"services.{name}: bind mount source {source} does not exist")
        elif source not in declared_volumes:
            fail(f"services.{name}: volume {source} is not declared under volumes:")
dispatcher = services.get("dispatcher", {})
for key, reason in (("container_name", "a name only one container can have"), ("ports", "host ports only one container can bind"),
                    ("hostname", "the same host name for every replica")):
    if key in dispatcher:
        fail(f"services.dispatcher: '{key}' means {reason}; `docker compose up --scale dispatcher=3` needs none")

# ---------------------------------------------------------------- health checks and dependencies
IMAGE_HEALTH_TOOLS = {  # what each image has to run a check with
    "postgres": {"pg_isready"}, "rabbitmq": {"rabbitmq-diagnostics"},
    "jaegertracing/jaeger": {"wget"},  # Alpine's busybox
    "prom/prometheus": {"wget"},  # busybox
    "otel/opentelemetry-collector-contrib": set(),  # no shell, no client: it cannot have one
}
REQUIRED_HEALTHCHECKS = {"postgres", "rabbitmq", "twilio-emulator", "api", "dispatcher", "scheduler"}


def health_command(service):
    test = (service.get("healthcheck") or {}).get("test")
    if not test or (service.get("healthcheck") or {}).get("disable"):
        return None
    if isinstance(test, str):
        return ["CMD-SHELL", test]
    return test


for name, service in services.items():
    test = health_command(service)
    if test is None:
        if name in REQUIRED_HEALTHCHECKS:
            fail(f"services.{name}: needs a healthcheck")
        continue
    if test[0] not in ("CMD", "CMD-SHELL"):
        fail(f"services.{name}: healthcheck test should start with CMD or CMD-SHELL")
        continue
    program = (shlex.split(test[1])[0] if test[0] == "CMD-SHELL" else test[1])
    if name in built:
        project, _, port = built[name]
        script = " ".join(test[1:])
        if re.search(r"\b(curl|wget)\b", script) or program not in ("bash", "dotnet"):
            fail(f"services.{name}: the aspnet image has bash but no curl or wget; probe with bash's /dev/tcp")
        probe = re.search(r"/dev/tcp/127\.0\.0\.1/(\d+).*GET (\S+) ", script)
        if not probe:
            fail(f"services.{name}: healthcheck should GET a path over /dev/tcp/127.0.0.1/<port>")
        else:
            if port and probe.group(1) != port:
                fail(f"services.{name}: healthcheck probes port {probe.group(1)}, the image listens on {port}")
            if project and f'"{probe.group(2)}"' not in code_of(project):
                fail(f"services.{name}: healthcheck path {probe.group(2)} is not mapped by {project} or its references")
    else:
        image = services[name].get("image", "").partition(":")[0]
        if program not in IMAGE_HEALTH_TOOLS.get(image, set()):
            fail(f"services.{name}: healthcheck runs {program}, which {image} does not have")

graph = {}
for name, service in services.items():
    depends_on = service.get("depends_on") or {}
    if isinstance(depends_on, list):
        depends_on = {target: {"condition": "service_started"} for target in depends_on}
    graph[name] = set(depends_on)
    for target, options in depends_on.items():
        condition = (options or {}).get("condition", "service_started")
        if target not in services:
            fail(f"services.{name}: depends on unknown service {target}")
        elif condition == "service_healthy" and health_command(services[target]) is None:
            fail(f"services.{name}: waits for {target} to be healthy, but {target} has no healthcheck")
        elif condition == "service_completed_successfully" and services[target].get("restart", "no") != "no":
            fail(f"services.{name}: waits for {target} to complete, but {target} restarts ({services[target]['restart']})")
        elif condition not in ("service_started", "service_healthy", "service_completed_successfully"):
            fail(f"services.{name}: unknown depends_on condition {condition}")
for name in ("api", "dispatcher", "scheduler"):
    depends_on = services.get(name, {}).get("depends_on") or {}
    for target, condition in (("migrate", "service_completed_successfully"), ("postgres", "service_healthy"),
                              ("rabbitmq", "service_healthy")):
        if (depends_on.get(target) or {}).get("condition") != condition:
            fail(f"services.{name}: should depend on {target} with condition {condition}")
if (services.get("migrate", {}).get("depends_on", {}).get("postgres") or {}).get("condition") != "service_healthy":
    fail("services.migrate: should wait for postgres to be healthy")
visiting, done = set(), set()


def visit(name, path):
    if name in done:
        return
    if name in visiting:
        fail(f"docker-compose.yml: depends_on cycle {' -> '.join(path + [name])}")
        return
    visiting.add(name)
    for target in graph.get(name, ()):
        visit(target, path + [name])
    visiting.discard(name)
    done.add(name)


for name in graph:
    visit(name, [])

# ---------------------------------------------------------------- environment: names the code reads, hosts that exist
# Read by the frameworks rather than by our code: the ASP.NET Core host, and the OpenTelemetry SDK's standard
# variables (only where the code turns the OTLP exporter on).
FRAMEWORK_VARIABLES = {"ASPNETCORE_HTTP_PORTS", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT"}
OTEL_SDK_VARIABLES = {"OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES", "OTEL_EXPORTER_OTLP_PROTOCOL",
                      "OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TIMEOUT", "OTEL_METRIC_EXPORT_INTERVAL",
                      "OTEL_METRIC_EXPORT_TIMEOUT", "OTEL_TRACES_SAMPLER", "OTEL_TRACES_SAMPLER_ARG"}
CODE_SECTIONS = {}  # section name -> text of the files that declare it


def code_reads(variable, text):
    if f'"{variable}"' in text:
        return True
    if variable in FRAMEWORK_VARIABLES:
        return True
    if variable in OTEL_SDK_VARIABLES:
        return "UseOtlpExporter" in text or "AddOtlpExporter" in text
    parts = variable.split("__")
    if len(parts) < 2:
        return False
    if f'"{":".join(parts)}"' in text:
        return True
    if parts[0] == "ConnectionStrings" and len(parts) == 2:
        return f'GetConnectionString("{parts[1]}")' in text
    if len(parts) == 2:
        declaring = [t for t in text.split("\x00") if f'SectionName = "{parts[0]}"' in t]
        return any(re.search(rf"\bpublic [^;{{=]*\b{parts[1]}\s*\{{\s*get", t) for t in declaring)
    return False


HOST_PATTERNS = [re.compile(r"^[a-z][a-z0-9+.-]*://(?:[^@/]*@)?([A-Za-z0-9_.-]+)(?::(\d+))?"),
                 re.compile(r"(?:^|;)Host=([^;]+)(?:;.*?Port=(\d+))?", re.I)]
def validation_failures(variable, value, text):
    """What the options class's [Required]/[MinLength] would say about the value at start-up."""
    parts = variable.split("__")
    if len(parts) != 2:
        return []
    failures = []
    for declaring in (t for t in text.split("\x00") if f'SectionName = "{parts[0]}"' in t):
        match = re.search(rf"((?:\[[^\]]*\]\s*)+)public [^;{{=]*\b{parts[1]}\s*\{{\s*get", declaring)
        attributes = match.group(1) if match else ""
        if "[Required" in attributes and not value:
            failures.append("is required")
        minimum = re.search(r"\[MinLength\((\d+)", attributes)
        if minimum and len(value) < int(minimum.group(1)):
            failures.append(f"must be at least {minimum.group(1)} characters")
    return failures


for name, (project, _, port) in built.items():
    if project is None:
        continue
    text = code_of(project)
    for variable, value in env_of(services[name]).items():
        if not code_reads(variable, text):
            fail(f"services.{name}: {variable} is not read by {project} or its references (nor by ASP.NET Core or the OpenTelemetry SDK)")
        if (variable == "OTEL_SERVICE_NAME" and "AddService(builder.Environment.ApplicationName)" in text
                and value != built[name][1]):
            fail(f"services.{name}: OTEL_SERVICE_NAME {value} is overridden: ServiceDefaults names the service "
                 f"{built[name][1]} (AddService wins over the variable); use that name or change ServiceDefaults")
        for failure in validation_failures(variable, value, text):
            fail(f"services.{name}: the default {variable} ({value!r}) {failure}: the service would refuse to start")
        for pattern in HOST_PATTERNS:
            match = pattern.search(value)
            if match and match.group(1) not in services:
                fail(f"services.{name}: {variable} points at host '{match.group(1)}', which is no service of the stack")

# ---------------------------------------------------------------- Twilio: the default account is the emulator's
emulator = env_of(services.get("twilio-emulator", {}))
for name in ("api", "dispatcher"):
    environment = env_of(services.get(name, {}))
    for variable, emulator_variable in (("Twilio__AccountSid", "Emulator__AccountSid"), ("Twilio__AuthToken", "Emulator__AuthToken")):
        if environment.get(variable) != emulator.get(emulator_variable):
            fail(f"services.{name}: the default {variable} is not the emulator's {emulator_variable}")
    if not environment.get("Twilio__BaseUrl", "").startswith("http://twilio-emulator:"):
        fail(f"services.{name}: Twilio__BaseUrl should default to the emulator (http://twilio-emulator:8080)")
if not re.fullmatch(r"AC[0-9a-fA-F]{32}", emulator.get("Emulator__AccountSid", "")):
    fail("services.twilio-emulator: Emulator__AccountSid must be AC + 32 hex digits, or the emulator refuses to start")
if "Api__AdminKey" not in env_of(services.get("api", {})):
    fail("services.api: Api__AdminKey (from ADMIN_KEY) is required: the Api refuses to start without it")

# ---------------------------------------------------------------- OpenTelemetry collector, Jaeger, Prometheus
def mounted_config(service, target):
    for volume in (services.get(service) or {}).get("volumes") or []:
        source, _, rest = str(volume).partition(":")
        if rest.split(":")[0] == target:
            return source
    fail(f"services.{service}: nothing mounted at {target}, the image's default configuration path")
    return None


def port_of(endpoint):
    return endpoint.rsplit(":", 1)[-1] if endpoint else None


collector_file = mounted_config("otel-collector", "/etc/otelcol-contrib/config.yaml")
prometheus_file = mounted_config("prometheus", "/etc/prometheus/prometheus.yml")
COLLECTOR_COMPONENTS = {  # the components this stack uses; add one here when the collector config needs it
    "receivers": {"otlp"},
    "processors": {"batch", "memory_limiter"},
    "exporters": {"otlp_grpc", "otlp", "otlp_http", "otlphttp", "prometheus", "debug"},
    "extensions": {"health_check"},
}
if collector_file and exists(collector_file):
    collector = yaml.safe_load(read(collector_file)) or {}
    for kind, known in COLLECTOR_COMPONENTS.items():
        for component in collector.get(kind) or {}:
            if component.split("/")[0] not in known:
                fail(f"{collector_file}: {kind}.{component}: unknown component type (known: {sorted(known)})")
    pipelines = (collector.get("service") or {}).get("pipelines") or {}
    for pipeline, spec in pipelines.items():
        for kind in ("receivers", "processors", "exporters"):
            for component in spec.get(kind) or []:
                if component not in (collector.get(kind) or {}):
                    fail(f"{collector_file}: pipeline {pipeline} uses {kind[:-1]} {component}, which is not defined")
    for signal in ("traces", "metrics", "logs"):
        if signal not in pipelines:
            fail(f"{collector_file}: no {signal} pipeline")
    protocols = ((collector.get("receivers") or {}).get("otlp") or {}).get("protocols") or {}
    for protocol in ("grpc", "http"):
        endpoint = (protocols.get(protocol) or {}).get("endpoint", "")
        if not endpoint.startswith("0.0.0.0:"):
            fail(f"{collector_file}: the OTLP {protocol} receiver must listen on 0.0.0.0 (the default is localhost, unreachable from the other containers)")
    grpc_port = port_of((protocols.get("grpc") or {}).get("endpoint"))
    for name in built:
        endpoint = env_of(services[name]).get("OTEL_EXPORTER_OTLP_ENDPOINT")
        if endpoint and endpoint != f"http://otel-collector:{grpc_port}":
            fail(f"services.{name}: OTEL_EXPORTER_OTLP_ENDPOINT {endpoint} is not the collector's OTLP gRPC receiver (http://otel-collector:{grpc_port})")
    exporters = collector.get("exporters") or {}
    for component, spec in exporters.items():
        if component.split("/")[0] in ("otlp_grpc", "otlp"):
            host = (spec or {}).get("endpoint", "").split("://")[-1].rsplit(":", 1)[0]
            if host not in services:
                fail(f"{collector_file}: exporters.{component} sends to '{host}', which is no service of the stack")
    traces_to = [e for e in (pipelines.get("traces") or {}).get("exporters") or []
                 if "jaeger:" in str((exporters.get(e) or {}).get("endpoint", ""))]
    if not traces_to:
        fail(f"{collector_file}: the traces pipeline does not export to Jaeger")
    prometheus_port = port_of((exporters.get("prometheus") or {}).get("endpoint"))
    if prometheus_file and exists(prometheus_file):
        scrape = yaml.safe_load(read(prometheus_file)) or {}
        targets = [t for job in scrape.get("scrape_configs") or [] for c in job.get("static_configs") or []
                   for t in c.get("targets") or []]
        for target in targets:
            if target.rsplit(":", 1)[0] not in services:
                fail(f"{prometheus_file}: scrape target {target} is no service of the stack")
        if f"otel-collector:{prometheus_port}" not in targets:
            fail(f"{prometheus_file}: does not scrape the collector's prometheus exporter (otel-collector:{prometheus_port})")
elif collector_file:
    fail(f"services.otel-collector: {collector_file} does not exist")

# ---------------------------------------------------------------- optional: the build stages, for real
if os.environ.get("PUBLISH") == "1" and not problems:
    def run_stages(dockerfile):
        stages, order = load_dockerfile(dockerfile)
        work = tempfile.mkdtemp(prefix="smsr-image-build-")
        app_root = os.path.join(work, "app")
        print(f"replaying the build stages of {dockerfile} in {work}", file=sys.stderr)
        stage_roots = {}
        for stage in order:
            if not stage.base.startswith("mcr.microsoft.com/dotnet/sdk:"):
                continue  # the runtime stages only copy what these produce; the files are checked below
            root = os.path.join(work, stage.name)
            workdir = root
            environment = dict(os.environ, **arg_defaults(stage))
            for keyword, arguments in stage.instructions:
                if keyword == "WORKDIR":
                    workdir = os.path.join(root, arguments.lstrip("/"))
                    os.makedirs(workdir, exist_ok=True)
                elif keyword == "COPY":
                    flags, sources, destination = copy_arguments(arguments)
                    target = os.path.normpath(os.path.join(workdir, destination))
                    for source in sources:
                        if "from" in flags:
                            origin = os.path.join(stage_roots[flags["from"]], source.lstrip("/"))
                            shutil.copytree(origin, target, dirs_exist_ok=True)
                            continue
                        prefix = os.path.normpath(source)
                        for file in CONTEXT:
                            if prefix == "." or file == prefix or file.startswith(prefix + "/"):
                                relative = file if prefix == "." else os.path.relpath(file, prefix)
                                into = os.path.join(target, relative)
                                os.makedirs(os.path.dirname(into), exist_ok=True)
                                shutil.copy2(os.path.join(ROOT, file), into)
                elif keyword == "RUN":
                    assert os.path.realpath(workdir).startswith(os.path.realpath(work))
                    command = re.sub(r'(?<![\w/.$])/app(?=[/"\s]|$)', app_root, arguments)
                    print(f"  [{stage.name}] RUN {command[:110]}{'…' if len(command) > 110 else ''}", file=sys.stderr)
                    if subprocess.run(["sh", "-c", command], cwd=workdir, env=environment).returncode != 0:
                        fail(f"{dockerfile}: stage {stage.name}: RUN failed: {arguments}")
                        return work, None
            stage_roots[stage.name] = root
        return work, app_root

    for dockerfile, targets in dockerfiles.items():
        work, app_root = run_stages(dockerfile)
        if app_root is None:
            continue
        stages, _ = load_dockerfile(dockerfile)
        for target, service in sorted(targets.items(), key=lambda item: str(item[0])):
            project, assembly, _ = built.get(service, (None, None, None))
            if not project:
                continue
            folder = os.path.join(app_root, os.path.basename(os.path.dirname(project)))
            dll = os.path.join(folder, f"{assembly}.dll")
            if not os.path.isfile(dll):
                fail(f"{dockerfile}: stage '{target}': {assembly}.dll was not published")
                continue
            with open(os.path.join(folder, f"{assembly}.runtimeconfig.json"), encoding="utf-8") as f:
                config = json.load(f)["runtimeOptions"]
            frameworks = {f["name"] for f in config.get("frameworks", [config.get("framework", {})])}
            base = stages[target].chain(stages)[-1].base
            provided = {"Microsoft.NETCore.App"} | ({"Microsoft.AspNetCore.App"} if "/aspnet:" in base else set())
            if not frameworks <= provided:
                fail(f"{dockerfile}: stage '{target}' needs {sorted(frameworks)} but {base} has {sorted(provided)}")
            size = subprocess.run(["du", "-sh", folder], capture_output=True, text=True).stdout.split()[0]
            files = sum(len(f) for _, _, f in os.walk(folder))
            print(f"  {target:16} {assembly}.dll  {size:>6}  {files} files  ({os.path.relpath(folder, work)})", file=sys.stderr)
        shutil.rmtree(work, ignore_errors=True)

if problems:
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    print(f"check-compose: {len(problems)} problem(s)", file=sys.stderr)
    sys.exit(1)
print(f"check-compose: ok ({len(services)} services, {len(built)} built from {', '.join(sorted(dockerfiles))}"
      f"{', build stages replayed' if os.environ.get('PUBLISH') == '1' else ''})", file=sys.stderr)
PY
