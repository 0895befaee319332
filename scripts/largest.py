#!/usr/bin/env python3
"""The largest Swift types and functions under a folder, by lines of their bodies.

Usage: scripts/largest.py [Sources] [--top 10]

A type is a `class`, `struct`, `enum`, `actor`, `protocol` or `extension` declaration; a
function is a `func`, `init`, `deinit` or a computed `var` with a body. Sizes are lines from
the declaration to its closing brace, found by matching braces after removing comments and
string literals. Nested declarations are counted inside their parents too.
"""
import os
import re
import sys

TYPE_RE = re.compile(r'\b(class|struct|enum|actor|protocol|extension)\s+([A-Za-z_][\w.]*)')
FUNC_RE = re.compile(r'\b(func\s+([^\s(<]+)|init[?!]?(?=\s*[(<])|deinit\b)')


def strip(text):
    """Blank out comments and string literals, keeping newlines so line numbers stay."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith('//', i):
            j = text.find('\n', i)
            j = n if j < 0 else j
            out.append(' ' * (j - i)); i = j
        elif text.startswith('/*', i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith('/*', j): depth += 1; j += 2
                elif text.startswith('*/', j): depth -= 1; j += 2
                else: j += 1
            out.append(re.sub(r'[^\n]', ' ', text[i:j])); i = j
        elif text.startswith('"""', i):
            j = text.find('"""', i + 3)
            j = n if j < 0 else j + 3
            out.append(re.sub(r'[^\n]', ' ', text[i:j])); i = j
        elif c == '"':
            j, depth = i + 1, 0
            while j < n:
                if text[j] == '\\' and j + 1 < n and text[j + 1] == '(':
                    depth += 1; j += 2; continue
                if depth and text[j] == '(': depth += 1
                elif depth and text[j] == ')': depth -= 1
                elif text[j] == '\\': j += 2; continue
                elif text[j] == '"' and not depth: break
                elif text[j] == '\n': break
                j += 1
            out.append(' ' * (j + 1 - i)); i = j + 1
        else:
            out.append(c); i += 1
    return ''.join(out)


def body_end(code, start):
    """Index of the brace closing the first `{` at or after start (None if a `;`/newline-only decl)."""
    i = code.find('{', start)
    if i < 0:
        return None, None
    # A protocol requirement or a bodiless func: no `{` before the next declaration keyword.
    depth = 0
    for j in range(i, len(code)):
        if code[j] == '{': depth += 1
        elif code[j] == '}':
            depth -= 1
            if depth == 0:
                return i, j
    return i, None


def scan(path, root):
    text = open(path, encoding='utf-8').read()
    code = strip(text)
    line_of = lambda k: code.count('\n', 0, k) + 1
    rel = os.path.relpath(path, root)
    types, funcs = [], []
    for regex, kind in ((TYPE_RE, 'type'), (FUNC_RE, 'func')):
        for m in regex.finditer(code):
            # Skip `class func`, `enum case` look-alikes and `.init(` calls.
            if kind == 'type':
                after = code[m.end():m.end() + 1]
                before = code[max(0, m.start() - 1):m.start()]
                if before == '.' or (m.group(1) == 'class' and code[m.end() - len(m.group(2)) - 1 - 5:m.end()].startswith('class func')):
                    continue
                if m.group(2) in ('func', 'var', 'let'):
                    continue
            else:
                if code[max(0, m.start() - 1):m.start()] == '.':
                    continue
            open_i, close_i = body_end(code, m.end())
            if open_i is None or close_i is None:
                continue
            # The body must start before the next statement (no `;`, no other declaration in between).
            between = code[m.end():open_i]
            if re.search(r'\b(func|var|let|case|init)\b', between) and kind == 'type':
                continue
            if kind == 'func' and re.search(r'\b(func|struct|class|enum)\b', between):
                continue
            lines = line_of(close_i) - line_of(m.start()) + 1
            name = m.group(2) if kind == 'type' else (m.group(2) or m.group(1).split('(')[0])
            entry = (lines, f'{m.group(1).split()[0]} {name}' if kind == 'type' else name,
                     f'{rel}:{line_of(m.start())}')
            (types if kind == 'type' else funcs).append(entry)
    return types, funcs


def main():
    args = sys.argv[1:]
    top = 10
    if '--top' in args:
        k = args.index('--top'); top = int(args[k + 1]); del args[k:k + 2]
    root = args[0] if args else 'Sources'
    types, funcs = [], []
    for dirpath, _, files in os.walk(root):
        for f in sorted(files):
            if f.endswith('.swift'):
                t, fn = scan(os.path.join(dirpath, f), root)
                types += t; funcs += fn
    for title, rows in (('Largest types', types), ('Largest functions', funcs)):
        print(f'{title} (lines)\n')
        print('| lines | name | where |\n|---:|---|---|')
        for lines, name, where in sorted(rows, key=lambda r: (-r[0], r[2]))[:top]:
            print(f'| {lines} | `{name}` | {where} |')
        print()


if __name__ == '__main__':
    main()
