# The oracle of TextModuleOracle: runs ansible-core's own module code on a temporary file,
# one JSON request per line on stdin, one JSON answer per line on stdout.
import json, sys, io, os, base64, tempfile, importlib, contextlib
from ansible.module_utils import basic
mods = {n: importlib.import_module('ansible.modules.' + n) for n in ('lineinfile', 'blockinfile', 'replace')}
work = tempfile.mkdtemp()
for line in sys.stdin:
    req = json.loads(line)
    path = os.path.join(work, 'f')
    if os.path.exists(path): os.remove(path)
    if req.get('content') is not None:
        with open(path, 'wb') as f: f.write(base64.b64decode(req['content']))
    args = dict(req['args']); args['path'] = path
    args['_ansible_tmpdir'] = work
    basic._ANSIBLE_ARGS = json.dumps({'ANSIBLE_MODULE_ARGS': args}).encode()
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            mods[req['module']].main()
    except SystemExit:
        pass
    except Exception as e:
        print(json.dumps({'result': {'exception': type(e).__name__}, 'content': None}), flush=True)
        continue
    res = json.loads(out.getvalue())
    for k in ('invocation', 'diff', 'warnings'): res.pop(k, None)
    content = None
    if os.path.exists(path):
        with open(path, 'rb') as f: content = base64.b64encode(f.read()).decode()
    print(json.dumps({'result': json.loads(json.dumps(res).replace(path, 'PATH')), 'content': content}), flush=True)
