#!/usr/bin/env python3
"""Lists jwt-ext's public API from rustdoc's JSON output, one line per item.

Every path a user can name (`jwt_ext::…`, including re-exports), with its kind; structs' public
fields, enums' variants, traits' items, inherent methods with their signatures, and the traits
each type implements. The listing does not depend on where an item is defined inside the crate,
so moving code between private modules leaves it unchanged, and any change to what a user can
write shows up in a diff.

    RUSTC_BOOTSTRAP=1 cargo rustdoc -p jwt-ext --all-features -- -Zunstable-options --output-format json
    python3 .ci/public_api.py target/doc/jwt_ext.json > listing.txt
"""
import json
import sys

doc = json.load(open(sys.argv[1]))
index = doc["index"]
paths = doc["paths"]
lines = set()


def kind_of(item):
    return next(iter(item["inner"]))


def name_of_path(p):
    return p.get("path") or p.get("name") or "?"


def args(a):
    if not a:
        return ""
    if "angle_bracketed" in a:
        ab = a["angle_bracketed"]
        parts = []
        for g in ab.get("args", []):
            if "type" in g:
                parts.append(ty(g["type"]))
            elif "lifetime" in g:
                parts.append(g["lifetime"])
            elif "const" in g:
                parts.append(str(g["const"].get("expr", "?")))
            else:
                parts.append("_")
        for c in ab.get("constraints", []):
            b = c.get("binding", {})
            if "equality" in b:
                t = b["equality"]
                parts.append(f"{c['name']} = {ty(t['type']) if 'type' in t else '?'}")
            else:
                parts.append(f"{c['name']}: {bounds(b.get('constraint', []))}")
        return "<" + ", ".join(parts) + ">" if parts else ""
    if "parenthesized" in a:
        p = a["parenthesized"]
        out = ty(p["output"]) if p.get("output") else "()"
        return "(" + ", ".join(ty(t) for t in p["inputs"]) + ") -> " + out
    return ""


def bounds(bs):
    out = []
    for b in bs:
        if "trait_bound" in b:
            t = b["trait_bound"]["trait"]
            mod = b["trait_bound"].get("modifier", "none")
            out.append(("?" if mod == "maybe" else "") + short(t["path"]) + args(t.get("args")))
        elif "outlives" in b:
            out.append(b["outlives"])
        else:
            out.append("use<..>")
    return " + ".join(out)


def short(path):
    return path.split("::")[-1]


def ty(t):
    if t is None:
        return "()"
    k = next(iter(t))
    v = t[k]
    if k == "resolved_path":
        return short(v["path"]) + args(v.get("args"))
    if k == "primitive":
        return v
    if k == "generic":
        return v
    if k == "borrowed_ref":
        lt = (v["lifetime"] + " ") if v.get("lifetime") else ""
        return "&" + lt + ("mut " if v["is_mutable"] else "") + ty(v["type"])
    if k == "raw_pointer":
        return ("*mut " if v["is_mutable"] else "*const ") + ty(v["type"])
    if k == "tuple":
        return "(" + ", ".join(ty(x) for x in v) + ")"
    if k == "slice":
        return "[" + ty(v) + "]"
    if k == "array":
        return "[" + ty(v["type"]) + "; " + str(v["len"]) + "]"
    if k == "impl_trait":
        return "impl " + bounds(v)
    if k == "dyn_trait":
        return "dyn " + " + ".join(short(p["trait"]["path"]) + args(p["trait"].get("args")) for p in v["traits"])
    if k == "qualified_path":
        return f"<{ty(v['self_type'])} as {short(v['trait']['path']) if v.get('trait') else '?'}>::{v['name']}"
    if k == "function_pointer":
        sig = v["sig"]
        return "fn(" + ", ".join(ty(x[1]) for x in sig["inputs"]) + ") -> " + ty(sig.get("output"))
    if k == "infer":
        return "_"
    return k


def generics(g):
    params = []
    for p in g.get("params", []):
        kind = p["kind"]
        if "lifetime" in kind:
            params.append(p["name"])
        elif "type" in kind:
            if kind["type"].get("is_synthetic"):
                continue
            b = bounds(kind["type"].get("bounds", []))
            params.append(p["name"] + (": " + b if b else ""))
        elif "const" in kind:
            params.append("const " + p["name"] + ": " + ty(kind["const"]["type"]))
    out = "<" + ", ".join(params) + ">" if params else ""
    preds = []
    for w in g.get("where_predicates", []):
        if "bound_predicate" in w:
            bp = w["bound_predicate"]
            preds.append(ty(bp["type"]) + ": " + bounds(bp["bounds"]))
    if preds:
        out += " where " + ", ".join(preds)
    return out


def signature(name, f):
    sig = f["sig"]
    ins = []
    for n, t in sig["inputs"]:
        ins.append(f"{n}: {ty(t)}")
    head = f["header"]
    prefix = ("const " if head.get("is_const") else "") + ("async " if head.get("is_async") else "")
    out = sig.get("output")
    return f"{prefix}fn {name}{generics(f['generics'])}({', '.join(ins)})" + (f" -> {ty(out)}" if out else "")


def visible(item):
    return item.get("visibility") == "public"


def emit_impls(path, impls):
    for iid in impls:
        imp = index.get(str(iid))
        if imp is None:
            continue
        im = imp["inner"]["impl"]
        if im.get("is_synthetic") or im.get("blanket_impl"):
            continue
        if im.get("trait"):
            neg = "!" if im.get("is_negative") else ""
            lines.add(f"{path}: impl {neg}{short(im['trait']['path'])}{args(im['trait'].get('args'))}")
            continue
        for mid in im["items"]:
            m = index.get(str(mid))
            if m is None or not visible(m):
                continue
            k = kind_of(m)
            if k == "function":
                lines.add(f"{path}::{signature(m['name'], m['inner']['function'])}")
            elif k == "assoc_const":
                lines.add(f"{path}::const {m['name']}: {ty(m['inner']['assoc_const']['type'])}")
            else:
                lines.add(f"{path}::{k} {m['name']}")


def emit(path, item, seen):
    k = kind_of(item)
    inner = item["inner"][k]
    if item["id"] in seen:
        lines.add(f"{path}: same item as {seen[item['id']]}")
        return
    seen[item["id"]] = path
    if k == "module":
        lines.add(f"mod {path}")
        walk(path, inner, seen)
    elif k == "struct":
        lines.add(f"struct {path}{generics(inner['generics'])}")
        kind = inner["kind"]
        fields = []
        if isinstance(kind, dict) and "plain" in kind:
            fields = kind["plain"]["fields"]
            if kind["plain"].get("has_stripped_fields"):
                lines.add(f"{path}: has private fields")
        elif isinstance(kind, dict) and "tuple" in kind:
            fields = [f for f in kind["tuple"] if f is not None]
        for fid in fields:
            f = index[str(fid)]
            lines.add(f"{path}.{f['name']}: {ty(f['inner']['struct_field'])}")
        emit_impls(path, inner["impls"])
    elif k == "enum":
        lines.add(f"enum {path}{generics(inner['generics'])}")
        for vid in inner["variants"]:
            v = index[str(vid)]
            vk = v["inner"]["variant"]["kind"]
            if isinstance(vk, dict) and "struct" in vk:
                fs = ", ".join(
                    index[str(f)]["name"] + ": " + ty(index[str(f)]["inner"]["struct_field"])
                    for f in vk["struct"]["fields"])
                lines.add(f"{path}::{v['name']} {{ {fs} }}")
            elif isinstance(vk, dict) and "tuple" in vk:
                fs = ", ".join(ty(index[str(f)]["inner"]["struct_field"]) if f is not None else "_" for f in vk["tuple"])
                lines.add(f"{path}::{v['name']}({fs})")
            else:
                lines.add(f"{path}::{v['name']}")
        emit_impls(path, inner["impls"])
    elif k == "trait":
        lines.add(f"trait {path}{generics(inner['generics'])}")
        for mid in inner["items"]:
            m = index[str(mid)]
            mk = kind_of(m)
            if mk == "function":
                f = m["inner"]["function"]
                d = " (provided)" if f.get("has_body") else ""
                lines.add(f"{path}::{signature(m['name'], f)}{d}")
            else:
                lines.add(f"{path}::{mk} {m['name']}")
    elif k == "function":
        lines.add(signature(path, inner))
    elif k == "constant":
        lines.add(f"const {path}: {ty(inner['type'])} = {inner['const'].get('expr', '?')}")
    elif k == "static":
        lines.add(f"static {path}: {ty(inner['type'])}")
    elif k == "type_alias":
        lines.add(f"type {path} = {ty(inner['type'])}")
    elif k in ("macro", "proc_macro"):
        lines.add(f"macro {path}")
    else:
        lines.add(f"{k} {path}")


def walk(prefix, module, seen):
    for iid in module["items"]:
        item = index.get(str(iid))
        if item is None:
            continue
        if kind_of(item) == "use":
            u = item["inner"]["use"]
            target = index.get(str(u["id"])) if u.get("id") is not None else None
            name = u["name"]
            if target is None:
                # An item of another crate: its path is the API.
                ext = paths.get(str(u.get("id")))
                src = "::".join(ext["path"]) if ext else u["source"]
                lines.add(f"{prefix}::{name}: re-export of {src}")
                continue
            if u.get("is_glob"):
                walk(prefix, target["inner"]["module"], seen)
                continue
            emit(f"{prefix}::{name}", target, seen)
        elif visible(item) or prefix.count("::") == 0:
            if item.get("name") is None:
                continue
            emit(f"{prefix}::{item['name']}", item, seen)


root = index[str(doc["root"])]
walk("jwt_ext", root["inner"]["module"], {})
for line in sorted(lines):
    print(line)
