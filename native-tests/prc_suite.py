"""Runs python-irodsclient's own test suite (Debian's python3-irodsclient ships it) against the server named by
IRODS_ENVIRONMENT_FILE and fails when a test fails that is not listed in LEFT_OUT with the reason it cannot pass
against the sandbox. Prints how many ran and passed."""
import sys
import unittest

import irods.test

LEFT_OUT = {
    # the sandbox's GENERAL_ADMIN (701) handles specific queries, users, user types and groups; not passwords
    # (scrambled with the session key), DNs, or resources
    "test_set_user_password": "GENERAL_ADMIN password", "test_user_dn": "GENERAL_ADMIN user DN",
    "test_make_ufs_resource": "GENERAL_ADMIN resources", "test_make_compound_resource": "GENERAL_ADMIN resources",
    "test_get_resource_children": "GENERAL_ADMIN resources",
    "test_resource_context_string": "GENERAL_ADMIN resources",
    "test_obj_create_to_default_resource": "GENERAL_ADMIN (makes a resource)",
    "test_obj_put_to_default_resource": "GENERAL_ADMIN (makes a resource)",
    "test_obj_put_to_default_resource_from_env_file": "GENERAL_ADMIN (makes a resource)",
    "test_get_replica_size": "GENERAL_ADMIN (makes resources)", "test_replica_number": "GENERAL_ADMIN (resources)",
    "test_repave_replicas": "GENERAL_ADMIN (resources)", "test_obj_replicate": "replicas on other resources",
    # no rule engine, no server config on this host (PHY_PATH_REG's own tests, test_register*, do run)
    "test_add_metadata_from_rule": "rules", "test_add_metadata_from_rule_file": "rules",
    "test_retrieve_std_streams_from_rule": "rules", "test_put_file_trigger_pep": "rules (PEPs)",
    "test_create_with_checksum": "reads /etc/irods/server_config.json of a server on this host",
    # python-irodsclient 0.8.1 expects the 4.2 ACL names ('modify object'); 5.0.2 (and the sandbox) say modify_object
    "test_set_data_acl": "4.2 ACL names", "test_set_collection_acl": "4.2 ACL names",
}

suite = unittest.defaultTestLoader.discover(irods.test.__path__[0], pattern="*_test.py",
                                            top_level_dir=irods.test.__path__[0] + "/../..")
result = unittest.TextTestRunner(stream=open("/dev/null", "w"), verbosity=0).run(suite)
failed = [t.id().rsplit(".", 1)[1] for t, _ in result.failures + result.errors]
unexpected = [(n, tb) for (t, tb) in result.failures + result.errors for n in [t.id().rsplit(".", 1)[1]]
              if n not in LEFT_OUT]
print("python-irodsclient suite: %d ran, %d passed, %d failed as listed, %d unexpected"
      % (result.testsRun, result.testsRun - len(failed), len(failed) - len(unexpected), len(unexpected)))
for n, tb in unexpected:
    print("UNEXPECTED FAILURE %s:\n%s" % (n, tb))
sys.exit(1 if unexpected or result.testsRun < 100 else 0)
