# Approvals: prod-tier services rolled back outside business hours need approvals from the approver
# teams/users; the requester's own approval never counts, and the requester cannot approve.
package unwind

# Actions that need approval under the rules below (a drill merges nothing, so it needs none).
approval_actions := {"rollback", "retry", "auto", "override"}

# Prod-tier services of the plan: a tier from the map (step), the contract or data.unwind_config.tiers.
prod_services contains step.service if {
	some wave in input.plan.waves
	some step in wave.steps
	prod_step(step)
}

prod_step(step) if step.tier in prod_tiers

prod_step(step) if input.contracts[step.repo].tier in prod_tiers

prod_step(step) if service_tiers[step.service] in prod_tiers

business_hours if {
	input.time.weekday in business_days
	input.time.hour >= business_start_hour
	input.time.hour < business_end_hour
}

approval_required if {
	input.action in approval_actions
	count(prod_services) > 0
	not business_hours
}

eligible(a) if {
	some team in a.teams
	team in approver_teams
}

eligible(a) if a.login in approver_users

# Logins whose approvals count.
valid_approvals contains a.login if {
	some a in input.approvals
	a.login != input.rollback.requested_by
	eligible(a)
}

default pending := null

pending := {"approvals_required": required_approvals - count(valid_approvals), "teams": approver_teams, "users": approver_users} if {
	approval_required
	count(valid_approvals) < required_approvals
}

# Who may approve, in words: "team sre", "teams sre, dba or user alice" (an empty list is left out).
approver_parts contains sprintf("%s %s", [plural("team", approver_teams), concat(", ", sort(approver_teams))]) if count(approver_teams) > 0

approver_parts contains sprintf("%s %s", [plural("user", approver_users), concat(", ", sort(approver_users))]) if count(approver_users) > 0

plural(word, xs) := word if count(xs) == 1

plural(word, xs) := concat("", [word, "s"]) if count(xs) != 1

default approvers_text := "nobody (no approver teams or users are configured)"

approvers_text := concat(" or ", sort(approver_parts)) if count(approver_parts) > 0

warnings contains msg if {
	approval_required
	msg := sprintf("prod-tier services (%s) outside business hours need %d approval(s) from %s; approvals so far: %d", [concat(", ", sort(prod_services)), required_approvals, approvers_text, count(valid_approvals)])
}

warnings contains msg if {
	some a in input.approvals
	a.login == input.rollback.requested_by
	msg := sprintf("the approval by @%s does not count: nobody can approve their own rollback", [a.login])
}

denials contains {"reason": msg, "enforcement": "hard", "rule": "unwind.no_self_approval"} if {
	input.action == "approve"
	input.actor.login == input.rollback.requested_by
	msg := sprintf("@%s requested this rollback and cannot approve it", [input.actor.login])
}

denials contains {"reason": msg, "enforcement": "hard", "rule": "unwind.approvers_only"} if {
	input.action == "approve"
	not eligible({"login": input.actor.login, "teams": input.actor.teams})
	msg := sprintf("@%s may not approve: approvals come from %s", [input.actor.login, approvers_text])
}
