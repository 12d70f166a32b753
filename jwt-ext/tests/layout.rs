//! The crate's layout rules, checked over its own source: no import cycle between modules,
//! no source file over 500 lines, and every folder's `mod.rs` declarative (modules and
//! re-exports only).
//!
//! A module depends on another when it names it: a `use`, a path in code, or a path inside a
//! macro call, starting with `crate::`, `super::`, `self::` or a child module's name; a name
//! the crate root re-exports counts as the module that defines it. A folder's `mod.rs`
//! re-exporting its own children is a declaration, not a dependency. Test modules
//! (`#[cfg(test)]`) are left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use proc_macro2::{TokenStream, TokenTree};
use syn::visit::Visit;

const MAX_LINES: usize = 500;

type ModPath = Vec<String>;

struct Module {
    file: PathBuf,
    ast: syn::File,
    children: BTreeSet<String>,
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn module_path(file: &Path) -> ModPath {
    let rel = file.strip_prefix(src_dir()).unwrap().with_extension("");
    let mut parts: ModPath = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.meta
                .require_list()
                .is_ok_and(|l| l.tokens.to_string() == "test")
    })
}

fn load() -> BTreeMap<ModPath, Module> {
    let mut files = Vec::new();
    rust_files(&src_dir(), &mut files);
    files
        .into_iter()
        .map(|file| {
            let text = std::fs::read_to_string(&file).unwrap();
            let ast = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            let children = ast
                .items
                .iter()
                .filter_map(|item| match item {
                    syn::Item::Mod(m) if m.content.is_none() => Some(m.ident.to_string()),
                    _ => None,
                })
                .collect();
            (
                module_path(&file),
                Module {
                    file,
                    ast,
                    children,
                },
            )
        })
        .collect()
}

/// Every path a use tree names, as segments.
fn use_paths(tree: &syn::UseTree, prefix: &mut ModPath, out: &mut Vec<ModPath>) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            use_paths(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => {
            let mut path = prefix.clone();
            path.push(n.ident.to_string());
            out.push(path);
        }
        syn::UseTree::Rename(r) => {
            let mut path = prefix.clone();
            path.push(r.ident.to_string());
            out.push(path);
        }
        syn::UseTree::Glob(_) => out.push(prefix.clone()),
        syn::UseTree::Group(g) => {
            for tree in &g.items {
                use_paths(tree, prefix, out);
            }
        }
    }
}

/// The paths one module names, each as written (first segment `crate`, `super`, `self` or a
/// child module), with whether it was a re-export.
#[derive(Default)]
struct Names {
    paths: Vec<(ModPath, bool)>,
}

impl Names {
    fn add_tokens(&mut self, tokens: TokenStream) {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        let mut i = 0;
        while i < tokens.len() {
            if let TokenTree::Group(g) = &tokens[i] {
                self.add_tokens(g.stream());
            }
            if let TokenTree::Ident(id) = &tokens[i] {
                if id == "crate" || id == "super" {
                    let mut path = vec![id.to_string()];
                    let mut j = i + 1;
                    while let (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) =
                        (tokens.get(j), tokens.get(j + 1))
                    {
                        if a.as_char() != ':' || b.as_char() != ':' {
                            break;
                        }
                        let Some(TokenTree::Ident(seg)) = tokens.get(j + 2) else {
                            break;
                        };
                        path.push(seg.to_string());
                        j += 3;
                    }
                    if path.len() > 1 {
                        self.paths.push((path, false));
                    }
                    i = j;
                    continue;
                }
            }
            i += 1;
        }
    }
}

impl<'ast> Visit<'ast> for Names {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let attrs = match item {
            syn::Item::Mod(m) => &m.attrs,
            syn::Item::Fn(f) => &f.attrs,
            syn::Item::Impl(i) => &i.attrs,
            syn::Item::Use(u) => &u.attrs,
            _ => &Vec::new(),
        };
        if is_test_only(attrs) {
            return;
        }
        syn::visit::visit_item(self, item);
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        let mut out = Vec::new();
        use_paths(&item.tree, &mut Vec::new(), &mut out);
        let reexport = !matches!(item.vis, syn::Visibility::Inherited);
        self.paths.extend(out.into_iter().map(|p| (p, reexport)));
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: ModPath = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if segments.len() > 1 {
            self.paths.push((segments, false));
        }
        syn::visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.add_tokens(mac.tokens.clone());
        syn::visit::visit_macro(self, mac);
    }
}

/// What each module re-exports (`pub use`, `pub(crate) use`): name → the absolute path.
type Reexports = BTreeMap<ModPath, BTreeMap<String, ModPath>>;

fn reexports(modules: &BTreeMap<ModPath, Module>) -> Reexports {
    let mut out = Reexports::new();
    for (path, module) in modules {
        for item in &module.ast.items {
            let syn::Item::Use(u) = item else { continue };
            if matches!(u.vis, syn::Visibility::Inherited) || is_test_only(&u.attrs) {
                continue;
            }
            let mut written = Vec::new();
            use_paths(&u.tree, &mut Vec::new(), &mut written);
            for w in written {
                if let Some(target) = absolute(path, &w, modules) {
                    out.entry(path.clone())
                        .or_default()
                        .insert(w.last().unwrap().clone(), target);
                }
            }
        }
    }
    out
}

/// A path written in `from`, made absolute; `None` for another crate's.
fn absolute(
    from: &ModPath,
    written: &ModPath,
    modules: &BTreeMap<ModPath, Module>,
) -> Option<ModPath> {
    Some(match written[0].as_str() {
        "crate" => written[1..].to_vec(),
        "self" => from.iter().chain(&written[1..]).cloned().collect(),
        "super" => {
            let mut base = from.clone();
            let mut rest = &written[..];
            while rest.first().is_some_and(|s| s == "super") {
                base.pop();
                rest = &rest[1..];
            }
            base.extend(rest.iter().cloned());
            base
        }
        first if modules[from].children.contains(first) => {
            from.iter().chain(written).cloned().collect()
        }
        _ => return None,
    })
}

/// The module that defines what a written path names, following re-exports; `None` for
/// another crate.
fn resolve(
    from: &ModPath,
    written: &ModPath,
    modules: &BTreeMap<ModPath, Module>,
    reexports: &Reexports,
) -> Option<ModPath> {
    let mut path = absolute(from, written, modules)?;
    for _ in 0..16 {
        let module = (0..=path.len())
            .rev()
            .map(|n| path[..n].to_vec())
            .find(|p| modules.contains_key(p))?;
        let Some(name) = path.get(module.len()) else {
            return Some(module);
        };
        match reexports.get(&module).and_then(|names| names.get(name)) {
            Some(target) if *target != path[..=module.len()] => {
                let mut next = target.clone();
                next.extend(path[module.len() + 1..].iter().cloned());
                path = next;
            }
            _ => return Some(module),
        }
    }
    None
}

fn name(path: &ModPath) -> String {
    if path.is_empty() {
        "crate".into()
    } else {
        path.join("::")
    }
}

#[test]
fn modules_depend_on_each_other_one_way() {
    let modules = load();
    let reexports = reexports(&modules);
    // from → (to → an example path written in `from`)
    let mut edges: BTreeMap<ModPath, BTreeMap<ModPath, String>> = BTreeMap::new();
    for (path, module) in &modules {
        if path.is_empty() {
            continue; // The root declares and re-exports; it depends on everything.
        }
        let mut names = Names::default();
        names.visit_file(&module.ast);
        for (written, reexport) in names.paths {
            let Some(target) = resolve(path, &written, &modules, &reexports) else {
                continue;
            };
            let declares = reexport && target.starts_with(path);
            if target == *path || target.is_empty() || declares {
                continue;
            }
            edges
                .entry(path.clone())
                .or_default()
                .entry(target)
                .or_insert(written.join("::"));
        }
    }
    // Modules that reach each other (Tarjan's strongly connected components), each reported
    // with every step inside it and the path that makes the step.
    let cycles = strongly_connected(&edges);
    let report: Vec<String> = cycles
        .iter()
        .map(|members| {
            let steps: Vec<String> = members
                .iter()
                .flat_map(|from| {
                    edges[from]
                        .iter()
                        .filter(|(to, _)| members.contains(*to))
                        .map(move |(to, written)| {
                            format!("  {} -> {} ({written})", name(from), name(to))
                        })
                })
                .collect();
            steps.join("\n")
        })
        .collect();
    assert!(
        report.is_empty(),
        "modules that import each other:\n{}",
        report.join("\n\n")
    );
}

type Edges = BTreeMap<ModPath, BTreeMap<ModPath, String>>;

fn strongly_connected(edges: &Edges) -> Vec<BTreeSet<ModPath>> {
    struct Walk<'a> {
        edges: &'a Edges,
        next: usize,
        index: BTreeMap<ModPath, usize>,
        low: BTreeMap<ModPath, usize>,
        stack: Vec<ModPath>,
        found: Vec<BTreeSet<ModPath>>,
    }
    impl Walk<'_> {
        fn visit(&mut self, node: &ModPath) {
            self.index.insert(node.clone(), self.next);
            self.low.insert(node.clone(), self.next);
            self.next += 1;
            self.stack.push(node.clone());
            let targets: Vec<ModPath> = self
                .edges
                .get(node)
                .into_iter()
                .flat_map(BTreeMap::keys)
                .cloned()
                .collect();
            for next in &targets {
                if !self.index.contains_key(next) {
                    self.visit(next);
                    let low = self.low[node].min(self.low[next]);
                    self.low.insert(node.clone(), low);
                } else if self.stack.contains(next) {
                    let low = self.low[node].min(self.index[next]);
                    self.low.insert(node.clone(), low);
                }
            }
            if self.low[node] == self.index[node] {
                let at = self.stack.iter().position(|m| m == node).unwrap();
                let members: BTreeSet<ModPath> = self.stack.drain(at..).collect();
                if members.len() > 1 {
                    self.found.push(members);
                }
            }
        }
    }
    let mut walk = Walk {
        edges,
        next: 0,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        found: Vec::new(),
    };
    for node in edges.keys() {
        if !walk.index.contains_key(node) {
            walk.visit(node);
        }
    }
    walk.found
}

#[test]
fn no_source_file_is_over_500_lines() {
    let long: Vec<String> = load()
        .values()
        .filter_map(|m| {
            let lines = std::fs::read_to_string(&m.file).unwrap().lines().count();
            (lines > MAX_LINES).then(|| format!("{} ({lines} lines)", relative(&m.file)))
        })
        .collect();
    assert!(long.is_empty(), "files over {MAX_LINES} lines: {long:?}");
}

#[test]
fn folder_modules_only_declare() {
    let busy: Vec<String> = load()
        .values()
        .filter(|m| m.file.file_name().is_some_and(|n| n == "mod.rs"))
        .flat_map(|m| {
            m.ast.items.iter().filter_map(|item| match item {
                syn::Item::Mod(_) | syn::Item::Use(_) => None,
                other => Some(format!("{}: {}", relative(&m.file), item_kind(other))),
            })
        })
        .collect();
    assert!(
        busy.is_empty(),
        "mod.rs files hold more than modules and re-exports: {busy:#?}"
    );
}

fn item_kind(item: &syn::Item) -> String {
    match item {
        syn::Item::Struct(s) => format!("struct {}", s.ident),
        syn::Item::Enum(e) => format!("enum {}", e.ident),
        syn::Item::Trait(t) => format!("trait {}", t.ident),
        syn::Item::Fn(f) => format!("fn {}", f.sig.ident),
        syn::Item::Const(c) => format!("const {}", c.ident),
        syn::Item::Impl(_) => "impl block".into(),
        syn::Item::Macro(_) => "macro".into(),
        _ => "item".into(),
    }
}

fn relative(file: &Path) -> String {
    file.strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")))
        .unwrap()
        .display()
        .to_string()
}
