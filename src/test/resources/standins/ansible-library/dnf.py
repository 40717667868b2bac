#!/usr/bin/python
# A stand-in for ansible-core 2.14's dnf module (lib/ansible/modules/dnf.py), given to
# ansible-playbook through ANSIBLE_LIBRARY (the yum action runs ansible.legacy.dnf where the host's
# pkg_mgr is dnf, and ansible.legacy looks in the library path first). The real module needs the
# dnf Python API (python3-dnf), which the test hosts cannot have: their package manager is the
# stand-in dnf command of src/test/resources/standins. This module drives that command the way
# orchestrator's dnf/yum does (execute/RpmModule): "rpm -q NAME" before and after, "dnf -y install"
# for the names not installed, "dnf -y remove" for the installed ones; changed when rpm's answer
# moved. Only what the rolling-update playbooks use is here: name, state (present/installed,
# absent/removed).
from ansible.module_utils.basic import AnsibleModule


def installed(module, name):
    rc, _, _ = module.run_command(["rpm", "-q", name])
    return rc == 0


def main():
    module = AnsibleModule(
        argument_spec=dict(
            name=dict(type="list", elements="str", aliases=["pkg"], default=[]),
            state=dict(type="str", default="present",
                       choices=["present", "installed", "absent", "removed"]),
        ),
    )
    names = module.params["name"]
    remove = module.params["state"] in ("absent", "removed")
    todo = [n for n in names if installed(module, n) == remove]
    if not todo:
        module.exit_json(changed=False, msg="Nothing to do", rc=0, results=[])
    rc, out, err = module.run_command(["dnf", "-y", "remove" if remove else "install"] + todo)
    if rc != 0:
        module.fail_json(msg=err or out, rc=rc, results=[], failures=[err or out])
    verb = "Removed" if remove else "Installed"
    module.exit_json(changed=True, msg="", rc=0, results=["%s: %s" % (verb, n) for n in todo])


if __name__ == "__main__":
    main()
