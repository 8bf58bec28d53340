// Offline checks of the deploy artifacts (Dockerfile, k8s/, alert rules). Run by .ci/validate-deploy;
// exits non-zero on the first failing stage, after printing every problem that stage found.
//
//   node validate.mjs manifests  <repo>                 schema + strict fields + policy of k8s/*.yaml
//   node validate.mjs rendered   <repo> <built.yaml>    the same on `kubectl kustomize k8s/` output
//   node validate.mjs rules-sync <repo> [--write]       PrometheusRule == chat-alerts.rules.yml
//   node validate.mjs dockerfile <repo>                 dockerfile-utils validation + image policy
//   node validate.mjs metrics    <file>                 chat_* meters present, labels bounded
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import YAML from "yaml";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const problems = [];
const fail = (where, msg) => problems.push(`${where}: ${msg}`);
const finish = (stage, okMsg) => {
  if (problems.length) {
    console.error(`FAIL [${stage}] ${problems.length} problem(s):`);
    for (const p of problems) console.error(`  - ${p}`);
    process.exit(1);
  }
  console.log(`ok   [${stage}] ${okMsg}`);
};

// ---------------------------------------------------------------- YAML loading
function parseAll(file, text = fs.readFileSync(file, "utf8")) {
  const docs = YAML.parseAllDocuments(text, { prettyErrors: true, uniqueKeys: true });
  const out = [];
  for (const d of docs) {
    for (const e of d.errors) fail(file, `YAML error: ${e.message}`);
    for (const w of d.warnings) fail(file, `YAML warning: ${w.message}`);
    const v = d.toJS({ maxAliasCount: 50 });
    if (v !== null && v !== undefined) out.push(v);
  }
  return out;
}

function yamlFiles(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out.sort();
}

// YAML files under k8s/ that are not Kubernetes objects, by role. Anything else without
// apiVersion/kind is an error (a manifest that lost its header, or a stray file).
const NON_OBJECT_FILES = {
  "config/application.yaml": "server configuration (configMapGenerator input)",
  "prometheus/chat-alerts.rules.yml": "Prometheus rules file",
  "prometheus/chat-alerts.test.yml": "promtool unit tests",
  "prometheus/local-scrape.yml": "Prometheus scrape config for loopback",
};

// ---------------------------------------------------------------- schema validation
const MODEL_PKG = { "monitoring.coreos.com": "@kubernetes-models/prometheus-operator" };
function modelSpecifier(apiVersion, kind) {
  const group = apiVersion.includes("/") ? apiVersion.split("/")[0] : "";
  const pkg = MODEL_PKG[group] ?? "kubernetes-models";
  return `${pkg}/${apiVersion}/${kind}`;
}

async function schemaCheck(objects) {
  for (const { obj, where } of objects) {
    const spec = modelSpecifier(obj.apiVersion, obj.kind);
    let mod;
    try {
      mod = await import(spec);
    } catch {
      fail(where, `no schema for ${obj.apiVersion} ${obj.kind} (module ${spec})`);
      continue;
    }
    const Model = mod[obj.kind];
    try {
      new Model(obj).validate();
    } catch (e) {
      fail(where, `${obj.kind}/${obj.metadata?.name}: schema: ${e.message}`);
    }
  }
}

// kubernetes-models' validators accept unknown fields (a typo such as readOnlyRootFileSystem
// would be silently dropped by the API server). TypeScript's excess-property check on the
// models' interfaces catches them: each object becomes a typed literal, tsc must accept it.
function strictFieldCheck(objects, label) {
  const work = path.join(HERE, ".work");
  fs.mkdirSync(work, { recursive: true });
  const lines = [];
  const where = [];
  objects.forEach(({ obj, where: w }, i) => {
    const spec = modelSpecifier(obj.apiVersion, obj.kind);
    lines.push(`import type { I${obj.kind} as T${i} } from ${JSON.stringify(spec)};`);
    where.push(w);
  });
  objects.forEach(({ obj }, i) => {
    // Line of object i is recorded so that tsc's line numbers map back to a file.
    lines.push(`export const o${i}: T${i} = ${JSON.stringify(obj)};`);
  });
  const file = path.join(work, `strict-${label}.ts`);
  fs.writeFileSync(file, lines.join("\n") + "\n");
  const tsconfig = path.join(work, `tsconfig-${label}.json`);
  fs.writeFileSync(tsconfig, JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, module: "esnext", moduleResolution: "bundler",
      target: "es2022", skipLibCheck: true, types: [] },
    files: [path.basename(file)],
  }));
  try {
    execFileSync(process.execPath, [path.join(HERE, "node_modules/typescript/bin/tsc"), "-p", tsconfig],
      { encoding: "utf8", stdio: "pipe" });
  } catch (e) {
    const out = `${e.stdout ?? ""}${e.stderr ?? ""}`.trim().split("\n");
    for (const l of out) {
      const m = /\((\d+),\d+\): (error .*)$/.exec(l);
      if (m) {
        const idx = Number(m[1]) - objects.length - 1;
        const o = objects[idx];
        fail(o ? `${o.where} ${o.obj.kind}/${o.obj.metadata?.name}` : file, `unknown or mistyped field: ${m[2]}`);
      } else if (l.trim()) fail(file, l);
    }
  }
}

// ---------------------------------------------------------------- policy (what the issue asks for)
const APP = "chat-server";
const get = (o, p) => p.split(".").reduce((a, k) => (a == null ? a : a[k]), o);

function expect(where, cond, msg) {
  if (!cond) fail(where, msg);
}

function policyCheck(objects, { rendered }) {
  const by = (kind) => objects.filter((o) => o.obj.kind === kind);
  const one = (kind, pred = () => true, what = kind) => {
    const xs = by(kind).filter((o) => pred(o.obj));
    if (xs.length !== 1) fail("k8s", `expected exactly one ${what}, found ${xs.length}`);
    return xs[0];
  };
  for (const { obj, where } of objects) {
    expect(where, !obj.metadata?.namespace, `${obj.kind}/${obj.metadata?.name}: hardcoded namespace (keep manifests namespace-agnostic)`);
    if (rendered) {
      const labels = obj.metadata?.labels ?? {};
      expect(where, labels["app.kubernetes.io/part-of"] === "chat", `${obj.kind}/${obj.metadata?.name}: common label app.kubernetes.io/part-of=chat missing after kustomize`);
    }
  }

  // Deployment
  const dep = one("Deployment");
  let configMapName = "chat-server-config";
  if (dep) {
    const d = dep.obj, w = `${dep.where} Deployment/${d.metadata.name}`;
    const pod = d.spec.template.spec;
    const c = (pod.containers ?? []).find((x) => x.name === APP);
    expect(w, d.spec.replicas === 3, "replicas must be 3");
    expect(w, d.spec.selector?.matchLabels?.["app.kubernetes.io/name"] === APP, "selector must use app.kubernetes.io/name=chat-server");
    expect(w, d.spec.template.metadata?.labels?.["app.kubernetes.io/name"] === APP, "pod template must carry app.kubernetes.io/name=chat-server");
    expect(w, d.spec.strategy?.type === "RollingUpdate", "strategy must be RollingUpdate");
    expect(w, d.spec.strategy?.rollingUpdate?.maxUnavailable === 0, "rollingUpdate.maxUnavailable must be 0");
    expect(w, d.spec.strategy?.rollingUpdate?.maxSurge === 1, "rollingUpdate.maxSurge must be 1");
    const ann = d.spec.template.metadata?.annotations ?? {};
    expect(w, ann["prometheus.io/scrape"] === "true" && ann["prometheus.io/port"] === "8080" && ann["prometheus.io/path"] === "/metrics",
      "pod needs prometheus.io/scrape=true, port=8080, path=/metrics annotations");
    const psc = pod.securityContext ?? {};
    expect(w, psc.runAsNonRoot === true, "pod securityContext.runAsNonRoot must be true");
    expect(w, psc.runAsUser === 10001, "pod securityContext.runAsUser must be 10001");
    expect(w, psc.seccompProfile?.type === "RuntimeDefault", "pod seccompProfile must be RuntimeDefault");
    expect(w, pod.terminationGracePeriodSeconds === 30, "terminationGracePeriodSeconds must be 30");
    expect(w, !!c, `container ${APP} missing`);
    if (c) {
      const sc = c.securityContext ?? {};
      expect(w, sc.runAsNonRoot === true, "container runAsNonRoot must be true");
      expect(w, sc.runAsUser === 10001, "container runAsUser must be 10001");
      expect(w, sc.readOnlyRootFilesystem === true, "container readOnlyRootFilesystem must be true");
      expect(w, sc.allowPrivilegeEscalation === false, "container allowPrivilegeEscalation must be false");
      expect(w, sc.privileged !== true, "container must not be privileged");
      expect(w, Array.isArray(sc.capabilities?.drop) && sc.capabilities.drop.includes("ALL"), "container capabilities must drop ALL");
      expect(w, !(sc.capabilities?.add ?? []).length, "container must add no capabilities");
      expect(w, (sc.seccompProfile?.type ?? psc.seccompProfile?.type) === "RuntimeDefault", "container seccompProfile must be RuntimeDefault");
      for (const k of ["requests", "limits"]) {
        expect(w, c.resources?.[k]?.cpu && c.resources?.[k]?.memory, `resources.${k} must set cpu and memory`);
      }
      const portOf = (name) => (c.ports ?? []).find((p) => p.name === name)?.containerPort;
      expect(w, portOf("chat") === 9900, "container port chat=9900 missing");
      expect(w, portOf("http-metrics") === 8080, "container port http-metrics=8080 missing");
      expect(w, portOf("hazelcast") === 5701, "container port hazelcast=5701 missing");
      expect(w, portOf("eventbus") === 5702, "container port eventbus=5702 missing");
      const probePath = (p) => p?.httpGet?.path;
      const probePort = (p) => p?.httpGet?.port;
      expect(w, probePath(c.livenessProbe) === "/health/live", "livenessProbe must GET /health/live");
      expect(w, probePath(c.readinessProbe) === "/health/ready", "readinessProbe must GET /health/ready");
      expect(w, !!c.startupProbe, "startupProbe missing");
      for (const [n, p] of [["liveness", c.livenessProbe], ["readiness", c.readinessProbe], ["startup", c.startupProbe]]) {
        expect(w, [8080, "http-metrics"].includes(probePort(p)), `${n}Probe must use port 8080 (http-metrics)`);
      }
      const sp = c.startupProbe ?? {};
      const startupBudget = (sp.periodSeconds ?? 10) * (sp.failureThreshold ?? 3);
      expect(w, startupBudget >= 60, `startupProbe allows only ${startupBudget}s; cluster joins need >= 60s`);
      const env = Object.fromEntries((c.env ?? []).map((e) => [e.name, e]));
      const val = (n) => env[n]?.value;
      expect(w, val("CHAT_CLUSTER_ENABLED") === "true", "env CHAT_CLUSTER_ENABLED must be \"true\"");
      expect(w, val("CHAT_CLUSTER_BUS_PORT") === "5702", "env CHAT_CLUSTER_BUS_PORT must be \"5702\" (fixed for the NetworkPolicy)");
      expect(w, val("CHAT_LOG_FORMAT") === "json", "env CHAT_LOG_FORMAT must be json");
      const dns = val("CHAT_CLUSTER_KUBERNETES_DNS") ?? "";
      expect(w, /^chat-server-hazelcast\.\$\(POD_NAMESPACE\)\.svc(\.|$)/.test(dns), `env CHAT_CLUSTER_KUBERNETES_DNS must name the headless Service FQDN, got "${dns}"`);
      expect(w, get(env.POD_NAMESPACE, "valueFrom.fieldRef.fieldPath") === "metadata.namespace", "env POD_NAMESPACE must come from metadata.namespace");
      const fromPodIp = (n) => get(env[n], "valueFrom.fieldRef.fieldPath") === "status.podIP"
        || (val(n) === "$(POD_IP)" && get(env.POD_IP, "valueFrom.fieldRef.fieldPath") === "status.podIP");
      expect(w, fromPodIp("CHAT_CLUSTER_HOST"), "env CHAT_CLUSTER_HOST must come from status.podIP");
      expect(w, fromPodIp("CHAT_CLUSTER_PUBLIC_HOST"), "env CHAT_CLUSTER_PUBLIC_HOST must come from status.podIP");
      const names = (c.env ?? []).map((e) => e.name);
      for (const n of ["CHAT_CLUSTER_KUBERNETES_DNS", "CHAT_CLUSTER_HOST", "CHAT_CLUSTER_PUBLIC_HOST"]) {
        // $(VAR) expands only variables defined earlier in the list.
        const refs = [...(val(n) ?? "").matchAll(/\$\((\w+)\)/g)].map((m) => m[1]);
        for (const r of refs) expect(w, names.indexOf(r) >= 0 && names.indexOf(r) < names.indexOf(n), `env ${n} uses $(${r}) before it is defined`);
      }
      const mounts = Object.fromEntries((c.volumeMounts ?? []).map((m) => [m.mountPath, m]));
      const vols = Object.fromEntries((pod.volumes ?? []).map((v) => [v.name, v]));
      const tmp = vols[mounts["/tmp"]?.name];
      expect(w, !!tmp?.emptyDir, "/tmp must be an emptyDir mount (read-only root filesystem)");
      const cfg = vols[mounts["/app/config"]?.name];
      expect(w, !!cfg?.configMap, "/app/config must be mounted from a ConfigMap");
      if (cfg?.configMap) configMapName = cfg.configMap.name;
      const preStop = (c.lifecycle?.preStop?.exec?.command ?? []).join(" ");
      const sleep = Number((/sleep (\d+)/.exec(preStop) ?? [])[1] ?? 0);
      expect(w, sleep + 20 < pod.terminationGracePeriodSeconds, `preStop (${sleep}s) + drain (20s) must fit in terminationGracePeriodSeconds`);
    }
    expect(w, /^chat-server:/.test(c?.image ?? ""), "image must be chat-server:<tag>");
    if (rendered) expect(w, c?.image === "chat-server:1.0.0", `rendered image must be chat-server:1.0.0, got ${c?.image}`);
  }

  // Services
  const svc = by("Service");
  const headless = svc.find((s) => s.obj.spec?.clusterIP === "None");
  if (!headless) fail("k8s", "headless Service (clusterIP: None) for Hazelcast discovery missing");
  else {
    const w = `${headless.where} Service/${headless.obj.metadata.name}`;
    expect(w, headless.obj.metadata.name === "chat-server-hazelcast", "headless Service must be named chat-server-hazelcast (the Deployment's DNS name uses it)");
    expect(w, headless.obj.spec.publishNotReadyAddresses === true, "publishNotReadyAddresses must be true");
    const ports = (headless.obj.spec.ports ?? []).map((p) => p.port).sort();
    expect(w, JSON.stringify(ports) === "[5701,5702]", `ports must be 5701 and 5702, got ${ports}`);
  }
  const lb = svc.find((s) => s.obj.spec?.type === "LoadBalancer");
  if (!lb) fail("k8s", "LoadBalancer Service for 9900 missing");
  else {
    const w = `${lb.where} Service/${lb.obj.metadata.name}`;
    expect(w, lb.obj.spec.externalTrafficPolicy === "Local", "externalTrafficPolicy must be Local");
    expect(w, (lb.obj.spec.ports ?? []).some((p) => p.port === 9900), "must expose port 9900");
  }
  const metrics = svc.find((s) => (s.obj.spec?.type ?? "ClusterIP") === "ClusterIP" && s.obj.spec?.clusterIP !== "None"
    && (s.obj.spec?.ports ?? []).some((p) => p.port === 8080));
  if (!metrics) fail("k8s", "ClusterIP Service for metrics port 8080 missing");
  for (const s of svc) {
    expect(s.where, s.obj.spec?.selector?.["app.kubernetes.io/name"] === APP, `Service/${s.obj.metadata.name} must select app.kubernetes.io/name=chat-server`);
  }

  // ServiceMonitor selects exactly the metrics Service and names its port
  const sm = one("ServiceMonitor");
  if (sm && metrics) {
    const w = `${sm.where} ServiceMonitor/${sm.obj.metadata.name}`;
    const sel = sm.obj.spec.selector?.matchLabels ?? {};
    const matches = svc.filter((s) => Object.entries(sel).every(([k, v]) => s.obj.metadata.labels?.[k] === v));
    expect(w, matches.length === 1 && matches[0] === metrics, `selector must match only the metrics Service, matches ${matches.map((s) => s.obj.metadata.name)}`);
    const portName = metrics.obj.spec.ports.find((p) => p.port === 8080)?.name;
    expect(w, (sm.obj.spec.endpoints ?? []).some((e) => e.port === portName && (e.path ?? "/metrics") === "/metrics"), `endpoint must scrape port ${portName} at /metrics`);
    expect(w, sm.obj.spec.jobLabel === "app.kubernetes.io/name" && metrics.obj.metadata.labels?.["app.kubernetes.io/name"] === APP,
      "jobLabel must be app.kubernetes.io/name so that job=\"chat-server\" as the alert rules expect");
  }

  // PDB, HPA, NetworkPolicy
  const pdb = one("PodDisruptionBudget");
  if (pdb) expect(pdb.where, pdb.obj.spec.maxUnavailable === 1 && pdb.obj.spec.selector?.matchLabels?.["app.kubernetes.io/name"] === APP, "PDB must be maxUnavailable 1 over the chat-server pods");
  const hpa = one("HorizontalPodAutoscaler");
  if (hpa) {
    const h = hpa.obj, w = hpa.where;
    expect(w, h.apiVersion === "autoscaling/v2", "HPA must be autoscaling/v2");
    expect(w, h.spec.scaleTargetRef?.kind === "Deployment" && h.spec.scaleTargetRef?.name === dep?.obj.metadata.name, "HPA must target the Deployment");
    expect(w, (h.spec.metrics ?? []).some((m) => m.type === "Resource" && m.resource?.name === "cpu"), "HPA must scale on CPU");
    expect(w, h.spec.minReplicas >= 3, "HPA minReplicas must be >= 3 (the alert rules expect at least 3 members)");
  }
  const np = one("NetworkPolicy");
  if (np) {
    const w = `${np.where} NetworkPolicy/${np.obj.metadata.name}`;
    const spec = np.obj.spec;
    expect(w, spec.podSelector?.matchLabels?.["app.kubernetes.io/name"] === APP, "podSelector must select the chat-server pods");
    expect(w, (spec.policyTypes ?? []).includes("Ingress"), "policyTypes must include Ingress");
    const rules = spec.ingress ?? [];
    const open = (port) => rules.some((r) => !r.from && (r.ports ?? []).some((p) => p.port === port));
    expect(w, open(9900), "9900 must be open to all sources");
    expect(w, open(8080), "8080 must be open to all sources");
    for (const port of [5701, 5702]) {
      const rs = rules.filter((r) => !r.ports || r.ports.some((p) => p.port === port));
      expect(w, rs.length > 0, `${port} must be allowed from chat-server pods`);
      for (const r of rs) {
        const peersOk = (r.from ?? []).length > 0 && r.from.every((f) => f.podSelector?.matchLabels?.["app.kubernetes.io/name"] === APP
          && !f.namespaceSelector && !f.ipBlock);
        expect(w, peersOk, `${port} must be allowed only from pods labelled app.kubernetes.io/name=chat-server`);
      }
    }
  }

  // ConfigMap with application.yaml (rendered only: it comes from configMapGenerator)
  if (rendered) {
    const cm = by("ConfigMap").find((o) => o.obj.metadata.name === configMapName);
    if (!cm) fail("rendered", `ConfigMap ${configMapName} mounted at /app/config is not in the build`);
    else {
      const text = cm.obj.data?.["application.yaml"];
      expect(cm.where, typeof text === "string", "ConfigMap must carry application.yaml");
      if (typeof text === "string") {
        const conf = YAML.parse(text);
        expect(cm.where, conf?.limits?.connectionsPerIp > 0, "application.yaml must set limits.connectionsPerIp > 0 (client IPs are preserved)");
        const grace = conf?.shutdown?.graceSeconds ?? 20;
        expect(cm.where, grace <= 20, `shutdown.graceSeconds ${grace} does not fit terminationGracePeriodSeconds 30 with the preStop sleep`);
      }
    }
    expect("rendered", by("PrometheusRule").length === 1, "PrometheusRule missing from the build");
  }
}

// ---------------------------------------------------------------- kustomization references
function kustomizationCheck(root) {
  const kdir = path.join(root, "k8s");
  const kfile = path.join(kdir, "kustomization.yaml");
  if (!fs.existsSync(kfile)) { fail(kfile, "missing"); return; }
  const [k] = parseAll(kfile);
  if (!k) { fail(kfile, "empty"); return; }
  expect(kfile, k.apiVersion === "kustomize.config.k8s.io/v1beta1" && k.kind === "Kustomization", "must be a kustomize.config.k8s.io/v1beta1 Kustomization");
  expect(kfile, !k.namespace, "sets a namespace (keep the base namespace-agnostic; use an overlay)");
  expect(kfile, (k.labels ?? []).some((l) => l.pairs && Object.keys(l.pairs).length) || k.commonLabels, "common labels missing");
  const listed = new Set();
  for (const r of k.resources ?? []) {
    const p = path.join(kdir, r);
    listed.add(path.normalize(p));
    if (!fs.existsSync(p)) { fail(kfile, `resource ${r} does not exist`); continue; }
    const docs = parseAll(p);
    if (!docs.length || docs.some((d) => !d.apiVersion || !d.kind)) fail(p, "listed as a resource but is not a Kubernetes object");
  }
  for (const g of k.configMapGenerator ?? []) {
    for (const f of g.files ?? []) {
      const src = f.includes("=") ? f.split("=")[1] : f;
      const p = path.join(kdir, src);
      if (!fs.existsSync(p)) fail(kfile, `configMapGenerator ${g.name}: file ${src} does not exist`);
      else parseAll(p);
    }
  }
  // Every manifest in k8s/ must be listed, or `kubectl apply -k` silently leaves it out.
  for (const f of yamlFiles(kdir)) {
    if (path.normalize(f) === path.normalize(kfile)) continue;
    const rel = path.relative(kdir, f);
    if (NON_OBJECT_FILES[rel]) continue;
    if (!listed.has(path.normalize(f))) fail(kfile, `k8s/${rel} is not listed under resources`);
  }
}

// ---------------------------------------------------------------- source manifests
function loadSourceObjects(root) {
  const kdir = path.join(root, "k8s");
  const objects = [];
  for (const f of yamlFiles(kdir)) {
    const rel = path.relative(kdir, f);
    const docs = parseAll(f);
    if (rel === "kustomization.yaml") continue;
    if (NON_OBJECT_FILES[rel]) {
      if (!docs.length) fail(f, "empty");
      continue;
    }
    if (!docs.length) fail(f, "no YAML documents");
    for (const d of docs) {
      if (!d.apiVersion || !d.kind) { fail(f, "document without apiVersion/kind"); continue; }
      objects.push({ obj: d, where: `k8s/${rel}` });
    }
  }
  return objects;
}

// ---------------------------------------------------------------- PrometheusRule == rules file
function rulesSync(root, write) {
  const rulesFile = path.join(root, "k8s/prometheus/chat-alerts.rules.yml");
  const crFile = path.join(root, "k8s/prometheus/chat-alerts.prometheusrule.yaml");
  const [rules] = parseAll(rulesFile);
  if (write) {
    const doc = new YAML.Document({
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PrometheusRule",
      metadata: { name: "chat-server-alerts", labels: { "app.kubernetes.io/name": APP } },
      spec: { groups: rules.groups },
    });
    doc.commentBefore =
      " GENERATED from chat-alerts.rules.yml by `.ci/validate-deploy --sync-rules`: edit that file, not this one.\n" +
      " For the Prometheus Operator. Its ruleSelector may require an extra label (e.g. release: <name>).";
    fs.writeFileSync(crFile, doc.toString({ lineWidth: 0 }));
    console.log(`wrote ${path.relative(root, crFile)}`);
    return;
  }
  if (!fs.existsSync(crFile)) { fail(crFile, "missing (run .ci/validate-deploy --sync-rules)"); return; }
  const [cr] = parseAll(crFile);
  expect(crFile, cr?.kind === "PrometheusRule", "must be a PrometheusRule");
  expect(crFile, JSON.stringify(cr?.spec?.groups) === JSON.stringify(rules?.groups),
    "spec.groups differ from chat-alerts.rules.yml (the source of truth): run .ci/validate-deploy --sync-rules");
  const names = (rules?.groups ?? []).flatMap((g) => g.rules.map((r) => r.alert)).filter(Boolean);
  for (const a of ["ChatNodeDown", "ChatSlowConsumerDisconnectsRising", "ChatRejectedInputSpike"]) {
    expect(rulesFile, names.includes(a), `alert ${a} missing`);
  }
}

// ---------------------------------------------------------------- Dockerfile
async function dockerfileCheck(root) {
  const file = path.join(root, "Dockerfile");
  const text = fs.readFileSync(file, "utf8");
  const { validate } = await import("dockerfile-utils");
  for (const d of validate(text, {})) {
    fail(`Dockerfile:${d.range.start.line + 1}`, `dockerfile-utils: ${d.message}`);
  }
  const { DockerfileParser } = await import("dockerfile-ast");
  const df = DockerfileParser.parse(text);
  const froms = df.getFROMs();
  expect(file, froms.length >= 2, "must be multi-stage (a build stage and a runtime stage)");
  for (const f of froms) {
    const img = f.getImageName() ?? "";
    const tag = f.getImageTag();
    expect(file, !!tag && tag !== "latest", `FROM ${img} must pin a tag (not latest)`);
  }
  const build = froms[0];
  expect(file, /^maven$/.test(build?.getImageName() ?? "") && /17/.test(build?.getImageTag() ?? ""), "build stage must be Maven on JDK 17");
  const last = froms[froms.length - 1];
  expect(file, /17-jre/.test(`${last?.getImageName()}:${last?.getImageTag()}`), "runtime stage must be a JRE 17 image");
  // Instructions of the final stage only.
  const lastLine = last.getRange().start.line;
  const fin = df.getInstructions().filter((i) => i.getRange().start.line >= lastLine);
  const kw = (k) => fin.filter((i) => i.getKeyword() === k);
  const runs = df.getInstructions().filter((i) => i.getKeyword() === "RUN").map((i) => i.getRawArgs?.() ?? i.getTextContent());
  expect(file, runs.some((r) => /mvn\s+-B\b.*-DskipTests.*\bpackage\b/.test(r)), "build stage must run `mvn -B -DskipTests package`");
  const users = kw("USER").map((u) => u.getArgumentsContent().trim());
  expect(file, users.length > 0, "final stage must set USER");
  const user = users[users.length - 1] ?? "";
  expect(file, /^10001(:10001)?$/.test(user), `final USER must be 10001 (numeric, so runAsNonRoot can verify it), got "${user}"`);
  const ep = kw("ENTRYPOINT");
  expect(file, ep.length === 1, "final stage must have exactly one ENTRYPOINT");
  if (ep[0]) {
    const raw = ep[0].getArgumentsContent().trim();
    let arr = null;
    try { arr = JSON.parse(raw.replace(/\\\s*\n/g, " ")); } catch { /* shell form */ }
    expect(file, Array.isArray(arr), "ENTRYPOINT must be in exec (JSON array) form so java receives SIGTERM");
    if (Array.isArray(arr)) {
      const s = arr.join(" ");
      expect(file, arr[0] === "java" || arr[0].endsWith("/java"), "ENTRYPOINT must run java directly (no shell wrapper)");
      expect(file, /-jar \/app\/chat-server\.jar/.test(s), "ENTRYPOINT must run -jar /app/chat-server.jar");
      for (const flag of ["-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-Dvertx.cacheDirBase=/tmp/vertx-cache"]) {
        expect(file, arr.includes(flag), `ENTRYPOINT must pass ${flag}`);
      }
    }
  }
  const exposed = new Set(kw("EXPOSE").flatMap((e) => e.getArgumentsContent().split(/\s+/)).map((p) => p.replace(/\/tcp$/, "")));
  for (const p of ["9900", "8080", "5701", "5702"]) expect(file, exposed.has(p), `EXPOSE ${p} missing`);
  const workdir = kw("WORKDIR").map((w) => w.getArgumentsContent().trim());
  expect(file, workdir[workdir.length - 1] === "/app", "final WORKDIR must be /app");
  const copies = kw("COPY").map((c) => c.getTextContent().replace(/\\\s*\n/g, " "));
  expect(file, copies.some((c) => /--from=\S+.*chat-server\.jar\s+\/app\/chat-server\.jar/.test(c)), "jar must be copied from the build stage to /app/chat-server.jar");
  expect(file, copies.some((c) => /\bconfig\/?\s+\/app\/config\/?$/.test(c.trim())), "config/ must be copied to /app/config/");
  expect(file, !/\bADD\b/.test(fin.map((i) => i.getKeyword()).join(" ")), "use COPY, not ADD");
  const ign = path.join(root, ".dockerignore");
  expect(ign, fs.existsSync(ign), ".dockerignore missing");
}

// ---------------------------------------------------------------- metrics sample (from a real scrape)
function metricsCheck(file) {
  const text = fs.readFileSync(file, "utf8");
  const series = [];
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s/.exec(line);
    if (!m) { fail(file, `unparsable line: ${line.slice(0, 80)}`); continue; }
    const labels = [...(m[3] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g)].map((x) => x[1]);
    series.push({ name: m[1], labels });
  }
  const have = new Set(series.map((s) => s.name));
  const required = ["chat_connections_active", "chat_users_registered", "chat_rooms", "chat_messages_received_total",
    "chat_messages_delivered_total", "chat_slow_consumer_disconnects_total", "chat_cluster_members",
    "chat_delivery_latency_seconds_bucket", "chat_delivery_latency_seconds_sum", "chat_delivery_latency_seconds_count"];
  for (const r of required) expect(file, have.has(r), `meter ${r} missing from the scrape`);
  // Registered lazily by reason in many implementations: only a warning when absent.
  for (const r of ["chat_names_rejected_total", "chat_input_rejected_total"]) {
    if (!have.has(r)) console.warn(`warn [metrics] ${r} not in this scrape (no rejection yet?)`);
  }
  const jvm = [...have].some((n) => n.startsWith("jvm_")), vertx = [...have].some((n) => n.startsWith("vertx_"));
  expect(file, jvm, "no jvm_* meters");
  expect(file, vertx, "no vertx_* meters");
  const unbounded = /^(user|users|name|nick|room|ip|remote|remote_?address|client|address|session|message|text)$/i;
  for (const s of series.filter((x) => x.name.startsWith("chat_"))) {
    for (const l of s.labels) expect(file, !unbounded.test(l), `${s.name} has an unbounded label "${l}"`);
  }
  const perFamily = {};
  for (const s of series.filter((x) => x.name.startsWith("chat_"))) perFamily[s.name] = (perFamily[s.name] ?? 0) + 1;
  for (const [n, c] of Object.entries(perFamily)) expect(file, c <= 100, `${n} has ${c} series: labels are not bounded`);
  return series.length;
}

// ---------------------------------------------------------------- main
const [cmd, a1, a2] = process.argv.slice(2);
switch (cmd) {
  case "manifests": {
    const objs = loadSourceObjects(a1);
    finish("yaml", `parsed k8s/ (${objs.length} objects)`);
    await schemaCheck(objs);
    finish("schema", `${objs.length} objects valid against kubernetes-models schemas`);
    strictFieldCheck(objs, "source");
    finish("fields", "no unknown fields (TypeScript excess-property check)");
    policyCheck(objs, { rendered: false });
    finish("policy", "security context, probes, env, services, network policy, PDB, HPA, ServiceMonitor");
    kustomizationCheck(a1);
    finish("kustomization", "every listed file exists and parses; every manifest is listed");
    break;
  }
  case "rendered": {
    const objs = parseAll(a2).map((obj) => ({ obj, where: `kustomize build` }));
    finish("rendered-yaml", `kustomize build produced ${objs.length} objects`);
    await schemaCheck(objs);
    strictFieldCheck(objs, "rendered");
    policyCheck(objs, { rendered: true });
    finish("rendered", "built objects pass schema, field and policy checks");
    break;
  }
  case "rules-sync":
    rulesSync(a1, a2 === "--write");
    if (a2 !== "--write") finish("rules-sync", "PrometheusRule matches chat-alerts.rules.yml");
    break;
  case "dockerfile":
    await dockerfileCheck(a1);
    finish("dockerfile", "syntax (dockerfile-utils) and image policy");
    break;
  case "metrics": {
    const n = metricsCheck(a1);
    finish("metrics", `${n} samples; chat meters present with bounded labels`);
    break;
  }
  default:
    console.error("usage: validate.mjs manifests|rendered|rules-sync|dockerfile|metrics ...");
    process.exit(2);
}
