# Tests of the default policy: run with `unwind policy test policies/`.
package unwind_test

import data.unwind

# A writer asks, on a Tuesday at 10:00 UTC, to roll back one non-prod service.
base := {
	"version": 1,
	"action": "rollback",
	"actor": {"login": "alice", "permission": "write", "teams": ["payments"], "is_bot": false},
	"trigger": {"kind": "comment", "reason": "checkout errors", "source": {"repo": "acme/web", "number": 42}},
	"rollback": {"id": "rb-1", "requested_by": "alice"},
	"plan": {
		"waves": [{"index": 0, "steps": [{
			"repo": "acme/web", "service": "web",
			"prs": [{"number": 42, "title": "New checkout", "author": "bob", "merged_at": "2024-05-14T09:00:00Z", "files": ["src/checkout.ts"]}],
			"commits": ["0123456789abcdef0123456789abcdef01234567"], "compensations": [],
		}]}],
		"repos": ["acme/web"], "services": ["web"], "changed_files": ["acme/web:src/checkout.ts"],
	},
	"approvals": [],
	"time": {"now": "2024-05-14T10:00:00Z", "weekday": "Tuesday", "hour": 10, "ns": 1715680800000000000},
	"contracts": {"acme/web": {"service": "web", "owners": ["bob"], "paused": false}},
	"history": {"auto_reverts_24h": {"org": 0, "per_repo": {}}},
	"org": {"paused": false},
}

# The same, on prod, on a Saturday at 03:00 UTC.
prod_night := object.union(base, {
	"time": {"now": "2024-05-18T03:00:00Z", "weekday": "Saturday", "hour": 3, "ns": 1716001200000000000},
	"contracts": {"acme/web": {"tier": "prod"}},
})

sre_approval := {"login": "carol", "teams": ["sre"], "at": "2024-05-18T03:05:00Z"}

auto_input := object.union(base, {
	"action": "auto",
	"actor": {"login": "unwind[bot]", "permission": "write", "teams": [], "is_bot": true},
	"trigger": {"kind": "auto", "reason": "check ci/smoke failed"},
	"rollback": {"requested_by": "unwind[bot]"},
})

rules_of(d) := {x.rule | some x in d.deny}

hard_only(d) if {
	every x in d.deny { x.enforcement == "hard" }
}

test_writer_may_rollback if {
	d := unwind.decision with input as base
	d.allow == true
	d.deny == []
	d.pending == null
	d.auto_merge == true
}

test_admin_may_rollback if {
	inp := object.union(base, {"actor": {"permission": "admin"}})
	d := unwind.decision with input as inp
	d.allow
}

test_reader_is_denied_hard if {
	inp := object.union(base, {"actor": {"permission": "read"}})
	d := unwind.decision with input as inp
	d.allow == false
	rules_of(d) == {"unwind.writers_only"}
	hard_only(d)
}

test_no_permission_is_denied if {
	inp := object.union(base, {"actor": {"permission": "none"}, "action": "retry"})
	d := unwind.decision with input as inp
	not d.allow
	"unwind.writers_only" in rules_of(d)
}

test_writer_may_drill_and_retry if {
	every action in ["drill", "retry"] {
		inp := object.union(base, {"action": action})
		d := unwind.decision with input as inp
		d.allow
	}
}

test_abort_allowed_for_writer if {
	inp := object.union(base, {"action": "abort"})
	d := unwind.decision with input as inp
	d.allow
}

test_abort_denied_for_reader if {
	inp := object.union(base, {"action": "abort", "actor": {"permission": "read"}})
	d := unwind.decision with input as inp
	not d.allow
}

test_kill_switch_org_paused_denies_everything_but_abort if {
	every action in ["rollback", "retry", "drill", "approve", "override"] {
		inp := object.union(base, {"action": action, "org": {"paused": true}})
		d := unwind.decision with input as inp
		not d.allow
		"unwind.kill_switch" in rules_of(d)
	}
	abort_input := object.union(base, {"action": "abort", "org": {"paused": true}})
	abort_decision := unwind.decision with input as abort_input
	abort_decision.allow
}

test_kill_switch_pause_issue if {
	inp := object.union(base, {"org": {"pause_issue": {"repo": "acme/.github", "number": 7}}})
	d := unwind.decision with input as inp
	not d.allow
	some x in d.deny
	x.rule == "unwind.kill_switch"
	x.enforcement == "hard"
	contains(x.reason, "acme/.github#7")
}

test_kill_switch_applies_to_auto if {
	inp := object.union(auto_input, {"org": {"paused": true}})
	d := unwind.decision with input as inp
	not d.allow
	"unwind.kill_switch" in rules_of(d)
}

test_kill_switch_cannot_be_overridden if {
	inp := object.union(base, {"action": "override", "actor": {"permission": "admin"}, "trigger": {"reason": "urgent"}, "org": {"paused": true}})
	d := unwind.decision with input as inp
	not d.allow
	"unwind.kill_switch" in rules_of(d)
}

test_prod_outside_business_hours_is_pending if {
	d := unwind.decision with input as prod_night
	d.allow == false
	d.deny == []
	d.pending == {"approvals_required": 1, "teams": ["sre"], "users": []}
}

test_prod_inside_business_hours_needs_no_approval if {
	inp := object.union(base, {"contracts": {"acme/web": {"tier": "prod"}}})
	d := unwind.decision with input as inp
	d.allow
	d.pending == null
}

test_business_hours_end_is_exclusive if {
	inp := object.union(prod_night, {"time": {"weekday": "Friday", "hour": 17}})
	d := unwind.decision with input as inp
	d.pending.approvals_required == 1
	inp2 := object.union(prod_night, {"time": {"weekday": "Friday", "hour": 16}})
	d2 := unwind.decision with input as inp2
	d2.pending == null
}

test_prod_tier_from_the_map_step if {
	inp := object.union(base, {
		"time": prod_night.time,
		"plan": {"waves": [{"index": 0, "steps": [object.union(base.plan.waves[0].steps[0], {"tier": "prod"})]}]},
	})
	d := unwind.decision with input as inp
	d.pending.approvals_required == 1
}

test_prod_tier_from_data_config if {
	inp := object.union(base, {"time": prod_night.time})
	d := unwind.decision with input as inp with data.unwind_config as {"tiers": {"web": "prod"}}
	d.pending.approvals_required == 1
}

test_non_prod_at_night_needs_no_approval if {
	inp := object.union(base, {"time": prod_night.time})
	d := unwind.decision with input as inp
	d.allow
}

test_configured_teams_and_hours if {
	cfg := {"approver_teams": ["oncall-leads"], "business_hours": {"days": ["Saturday"], "start": 0, "end": 24}}
	d := unwind.decision with input as prod_night with data.unwind_config as cfg
	d.allow
	inp := object.union(prod_night, {"time": {"weekday": "Sunday"}})
	d2 := unwind.decision with input as inp with data.unwind_config as cfg
	d2.pending.teams == ["oncall-leads"]
}

test_sre_approval_allows if {
	inp := object.union(prod_night, {"approvals": [sre_approval]})
	d := unwind.decision with input as inp
	d.allow
	d.pending == null
}

test_approval_from_other_team_does_not_count if {
	inp := object.union(prod_night, {"approvals": [{"login": "dave", "teams": ["payments"], "at": "2024-05-18T03:05:00Z"}]})
	d := unwind.decision with input as inp
	not d.allow
	d.pending.approvals_required == 1
}

test_approval_by_listed_user_counts if {
	inp := object.union(prod_night, {"approvals": [{"login": "erin", "teams": [], "at": "2024-05-18T03:05:00Z"}]})
	d := unwind.decision with input as inp with data.unwind_config as {"approver_users": ["erin"]}
	d.allow
}

test_self_approval_does_not_count if {
	inp := object.union(prod_night, {
		"actor": {"teams": ["sre"]},
		"approvals": [{"login": "alice", "teams": ["sre"], "at": "2024-05-18T03:05:00Z"}],
	})
	d := unwind.decision with input as inp
	not d.allow
	d.pending.approvals_required == 1
	some w in d.warnings
	contains(w, "@alice does not count")
}

test_requester_cannot_approve if {
	inp := object.union(prod_night, {"action": "approve", "actor": {"teams": ["sre"]}})
	d := unwind.decision with input as inp
	not d.allow
	rules_of(d) == {"unwind.no_self_approval"}
}

test_approver_may_approve if {
	inp := object.union(prod_night, {"action": "approve", "actor": {"login": "carol", "teams": ["sre"]}})
	d := unwind.decision with input as inp
	d.allow
}

test_non_approver_cannot_approve if {
	inp := object.union(prod_night, {"action": "approve", "actor": {"login": "dave", "teams": ["payments"]}})
	d := unwind.decision with input as inp
	not d.allow
	rules_of(d) == {"unwind.approvers_only"}
}

test_auto_under_caps_is_allowed if {
	d := unwind.decision with input as auto_input
	d.allow
}

test_auto_cap_per_repo if {
	inp := object.union(auto_input, {"history": {"auto_reverts_24h": {"org": 3, "per_repo": {"acme/web": 3}}}})
	d := unwind.decision with input as inp
	not d.allow
	rules_of(d) == {"unwind.auto_revert_cap_repo"}
	every x in d.deny { x.enforcement == "soft" }
}

test_auto_cap_per_repo_configurable if {
	inp := object.union(auto_input, {"history": {"auto_reverts_24h": {"org": 3, "per_repo": {"acme/web": 3}}}})
	d := unwind.decision with input as inp with data.unwind_config as {"caps": {"auto_reverts_per_repo_per_day": 5}}
	d.allow
}

test_auto_cap_per_org if {
	inp := object.union(auto_input, {"history": {"auto_reverts_24h": {"org": 10, "per_repo": {}}}})
	d := unwind.decision with input as inp
	not d.allow
	rules_of(d) == {"unwind.auto_revert_cap_org"}
}

test_auto_by_a_person_is_denied if {
	inp := object.union(base, {"action": "auto"})
	d := unwind.decision with input as inp
	not d.allow
	"unwind.auto_by_unwind" in rules_of(d)
}

test_bots_cannot_request if {
	inp := object.union(base, {"actor": {"is_bot": true}})
	d := unwind.decision with input as inp
	not d.allow
	"unwind.no_bots" in rules_of(d)
}

test_contract_pause_is_soft if {
	inp := object.union(base, {"contracts": {"acme/web": {"paused": true}}})
	d := unwind.decision with input as inp
	not d.allow
	d.deny == [{"reason": "the rollback contract of acme/web pauses rollbacks (paused: true)", "enforcement": "soft", "rule": "unwind.contract_paused"}]
}

test_admin_override_waives_soft_reasons if {
	inp := object.union(base, {"action": "override", "actor": {"permission": "admin"}, "trigger": {"reason": "incident 123"}, "contracts": {"acme/web": {"paused": true}}})
	d := unwind.decision with input as inp
	d.allow
	d.deny == []
	some w in d.warnings
	startswith(w, "overridden by @alice (incident 123)")
}

test_writer_cannot_override if {
	inp := object.union(base, {"action": "override", "trigger": {"reason": "incident 123"}, "contracts": {"acme/web": {"paused": true}}})
	d := unwind.decision with input as inp
	not d.allow
	rules_of(d) == {"unwind.admins_override", "unwind.contract_paused"}
}

test_override_needs_a_justification if {
	inp := object.union(base, {"action": "override", "actor": {"permission": "admin"}, "trigger": {"reason": "  "}})
	d := unwind.decision with input as inp
	not d.allow
	rules_of(d) == {"unwind.override_justification"}
}

test_override_still_needs_approval if {
	inp := object.union(prod_night, {"action": "override", "actor": {"permission": "admin"}, "trigger": {"reason": "incident 123"}})
	d := unwind.decision with input as inp
	not d.allow
	d.pending.approvals_required == 1
}

test_auto_merge_follows_contracts if {
	inp := object.union(base, {"contracts": {"acme/web": {"auto_merge": false}}})
	d := unwind.decision with input as inp
	d.auto_merge == false
	d.allow
}

test_large_plan_warns if {
	d := unwind.decision with input as base with data.unwind_config as {"large_plan_repos": 0}
	some w in d.warnings
	contains(w, "touches 1 repositories")
}

test_drill_needs_no_approval if {
	inp := object.union(prod_night, {"action": "drill"})
	d := unwind.decision with input as inp
	d.allow
}

test_decision_is_always_defined if {
	every action in ["rollback", "approve", "abort", "retry", "drill", "auto", "override"] {
		inp := object.union(base, {"action": action})
		d := unwind.decision with input as inp
		is_boolean(d.allow)
	}
}

test_permission_is_named_per_repository if {
	inp := object.union(base, {"actor": {"permission": "none", "permissions": {"acme/api": "admin", "acme/r7": "none"}}})
	d := data.unwind.decision with input as inp
	not d.allow
	some r in d.deny
	r.reason == "@alice has none permission on acme/r7; rollback needs write or admin"
}
