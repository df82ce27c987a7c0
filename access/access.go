// Package access decides who on the staff may see and do what. It is pure: callers describe
// the person (a Viewer) and the opinion (Facts), and it answers. Storage turns the same rules
// into SQL for lists (storage.scopeSQL), and a test checks the two agree.
package access

import (
	"minsheng/lifecycle"
	"minsheng/locale"
	"minsheng/redact"
	"minsheng/vocab"
)

// Roles of the staff.
const (
	Admin      = "admin"      // users, units, settings; and everything a reviewer does
	Reviewer   = "reviewer"   // 活动办: every opinion but 举报; triage, assign, reply, approve closure
	Liaison    = "liaison"    // 联络员: only opinions assigned to their unit; reports progress
	Leader     = "leader"     // 领导: reads the opinions of their linked units (联系点)
	Supervisor = "supervisor" // 督导组: reads everything but 举报; does the look-back (回头看)
	Discipline = "discipline" // 纪检: the only role that sees 举报, and handles them
	// Monitor: 行风/社会监督员, an appointed outsider. Submits with the role recorded, reads
	// the public notice of their assigned units in more detail and the progress of what they
	// submitted themselves (monitor.go); no opinion of the staff queue, ever.
	Monitor = "monitor"
	// DeptHead: 科室负责人 (责任人) of one 科室 in one unit: the work handed to the unit about
	// their 科室; reports progress as a liaison does.
	DeptHead = "dept_head"
	// UnitHead: 第一责任人 of a unit: everything about the unit and the work handed to it, but
	// never what concerns the unit's own leadership, nor 举报.
	UnitHead = "unit_head"
)

// Roles lists every role with its Chinese name, in the order forms show them.
var Roles = vocab.List("role.admin", "role.reviewer", "role.liaison", "role.leader", "role.supervisor",
	"role.discipline", "role.unit_head", "role.dept_head", "role.monitor")

// HasUnit reports whether role belongs to one unit (users.unit_code): a liaison, a unit head,
// a department head.
func HasUnit(role string) bool { return role == Liaison || role == UnitHead || role == DeptHead }

// HasLinks reports whether role follows several units (user_units): a leader's 联系点, a
// citizen supervisor's assigned units.
func HasLinks(role string) bool { return role == Leader || role == Monitor }

// ReportType is the opinion type only the discipline role may see: 举报, misconduct reports.
const ReportType = "report"

// Viewer is a staff member as far as access is concerned.
type Viewer struct {
	Role   string
	Unit   string   // a liaison's, unit head's or department head's unit
	Dept   string   // a department head's 科室 (its name, as opinions carry it)
	Linked []string // a leader's linked units (联系点), a monitor's assigned units
	// ConductReader: an administrator granted this person the conduct record (医德医风档案)
	// of every department; a department head reads their own without it.
	ConductReader bool
	// Today (YYYY-MM-DD) decides what is overdue: overdue work escalates to the liaison of
	// the lead unit's parent (督办). Empty: no escalation.
	Today string
	// Mailboxes are the codes of the mailboxes (信箱) this person reads, by their role or by
	// name; storage computes them when the session is loaded.
	Mailboxes []string
	// Post and Badge are this person's post (岗位) and badge number (工号) in Unit, when their
	// account says them, so that an opinion naming them is never shown to them (NamedIn). No
	// account says them yet; a department head's (科室主任) will.
	Post, Badge string
	// Branch is the root unit of the branch of the unit tree an administrator is limited to
	// (a county within a province), "" for the whole tree; BranchUnits are the codes of that
	// subtree, root included, which storage computes when the session is loaded. A branch
	// administrator sees only the opinions about those units (InBranch).
	Branch      string
	BranchUnits []string
}

// OwnsInBranch reports whether v may manage a thing that belongs to unit (a mailbox, a site, a
// survey's or an evaluation's unit or branch): anything for a viewer of the whole tree; for a
// branch administrator a unit of their branch, never a thing of no unit (the whole portal's).
func (v Viewer) OwnsInBranch(unit string) bool {
	return v.Branch == "" || unit != "" && v.InBranch(unit)
}

// InBranch reports whether unit is in v's branch: always for a viewer limited to no branch.
func (v Viewer) InBranch(unit string) bool {
	if v.Branch == "" {
		return true
	}
	for _, u := range v.BranchUnits {
		if u == unit {
			return true
		}
	}
	return false
}

// Facts are what access depends on about an opinion.
type Facts struct {
	Type            string
	UnitCode        string // the unit the opinion is about
	Dept            string // the 科室 it names, "" for none
	LeadUnit        string // the unit leading its rectification, "" until assigned
	LeadParent      string // the parent of the lead unit, which follows up overdue work
	AboutLeadership bool   // about the unit's own leadership
	Status          string
	Deadline        string // YYYY-MM-DD, "" until assigned
	// Mailbox is the code of the mailbox (信箱) the letter was written to, "" for none.
	// DisciplineMailbox: that mailbox is read by the discipline role alone (纪检监察信箱).
	Mailbox           string
	DisciplineMailbox bool
	// Whom it names besides its unit (挂牌上岗, feature 5): TargetKind "leadership" or "staff"
	// ("" for none), a post and a badge number. A leadership target is also AboutLeadership.
	TargetKind, TargetPost, TargetBadge string
}

// Overdue reports whether open work is past its deadline on day today.
func (f Facts) Overdue(today string) bool {
	return today != "" && f.Deadline != "" && f.Deadline < today && lifecycle.Open(f.Status)
}

// NamedIn reports whether v is, or may be, the person an opinion is about, who must never see
// it (the conflict of interest the liaison rule has always guarded):
//   - an opinion about the unit's own leadership (AboutLeadership, which a leadership target
//     sets) is never shown to the liaison of that unit: it goes to the bureau;
//   - an opinion naming a staff member by post or badge (TargetKind "staff" or "leadership")
//     is never shown to the person of that unit whose account carries that post or badge.
//
// Everyone else sees it as any other opinion: the office and 纪检 as usual, and the unit's
// liaison, when the work is handed to the unit, for a staff member's post or badge (the liaison
// must be able to get it put right; they are not the person named unless their account says
// so). Storage writes the same rule in SQL (scopeSQL; TestScopeAgreesWithAccess).
func (v Viewer) NamedIn(f Facts) bool {
	if v.Unit == "" || f.UnitCode != v.Unit {
		return false
	}
	if f.AboutLeadership && HasUnit(v.Role) { // a liaison's, a unit head's or a department head's own leadership
		return true
	}
	return f.TargetKind != "" &&
		(v.Badge != "" && f.TargetBadge == v.Badge || v.Post != "" && f.TargetPost == v.Post)
}

// CanSee reports whether v may list and open an opinion.
func (v Viewer) CanSee(f Facts) bool {
	if v.Role == Monitor {
		return false // not even a letter in a mailbox someone configured for the role
	}
	if v.NamedIn(f) || !v.InBranch(f.UnitCode) {
		return false
	}
	if f.Type == ReportType || f.DisciplineMailbox {
		return v.Role == Discipline
	}
	if f.Mailbox != "" {
		// A letter is for its mailbox's readers; the liaison of the unit the work was handed
		// to still sees it, so that rectification can be assigned. Nobody else, admins included.
		// A unit head or department head as well, by their own rule on handed-over work.
		return v.readsMailbox(f.Mailbox) || v.worksOn(f)
	}
	switch v.Role {
	case Admin, Reviewer, Supervisor:
		return true
	case Liaison, DeptHead:
		return v.worksOn(f)
	case UnitHead:
		// Everything about the unit besides the work handed to it; never its own leadership.
		return v.worksOn(f) || (v.Unit != "" && f.UnitCode == v.Unit && !v.NamedIn(f))
	case Leader:
		for _, u := range v.Linked {
			if u == f.UnitCode {
				return true
			}
		}
	}
	return false
}

// liaisonSees is the liaison's rule: only work handed to their unit, or overdue work of a unit
// under theirs (督办); never an opinion about their own unit's leadership (conflict of
// interest: that goes to the bureau).
func (v Viewer) liaisonSees(f Facts) bool {
	mine := f.LeadUnit == v.Unit || (f.LeadParent == v.Unit && f.Overdue(v.Today))
	return v.Unit != "" && mine && !v.NamedIn(f)
}

// worksOn is the rule of those who do the work handed to a unit: a liaison's and a unit
// head's (liaisonSees), and a department head's: work handed to their unit about their 科室,
// never about the unit's own leadership.
func (v Viewer) worksOn(f Facts) bool {
	switch v.Role {
	case Liaison, UnitHead:
		return v.liaisonSees(f)
	case DeptHead:
		return v.Unit != "" && v.Dept != "" && f.LeadUnit == v.Unit && f.Dept == v.Dept && !v.NamedIn(f)
	}
	return false
}

// readsMailbox reports whether v is one of the readers of mailbox code.
func (v Viewer) readsMailbox(code string) bool {
	for _, m := range v.Mailboxes {
		if m == code {
			return true
		}
	}
	return false
}

// Actions besides moving along the lifecycle.
const (
	Tag        = "tag"        // four-styles tags and classification
	Reply      = "reply"      // write to the submitter
	Note       = "note"       // internal notes
	Export     = "export"     // monthly CSV/XLSX
	SeeContact = "seecontact" // the submitter's optional contact
	Administer = "administer" // users, units, settings
	// Transcribe: type in what arrived on paper or by phone (信函, 意见箱, 电话…). A liaison
	// may only enter items about their own unit (TranscribeUnit).
	Transcribe = "transcribe"
	// SeeIdentifiers: ID, phone, card and record numbers written into an opinion, unmasked
	// (package redact masks them for everyone else, in pages and exports). Only those who may
	// have to act on a person's identity hold it: administrators, and discipline for 举报.
	SeeIdentifiers = "seeidentifiers"
	// SeeEvaluations: the results of the democratic evaluation forms (民主评议表), which the
	// county supervision group collects and summarises, not the bureau being evaluated.
	SeeEvaluations = "seeevaluations"
	// ReadAudit: the audit log's page and export. Administrators read every entry but those
	// about 举报 and discipline-mailbox letters, which discipline alone reads.
	ReadAudit = "readaudit"
	// Accountability: the accountability records (追责问责: who decided, the measure, the date,
	// the document number). Administrators read and write those of the opinions whose audit
	// entries they read (not 举报 nor discipline-mailbox letters); discipline reads them all.
	Accountability = "accountability"
	// AdministerBranch: the units and users of one's branch of the unit tree (all of them for
	// an administrator limited to no branch). Administer itself, and the other whole-portal
	// actions (wholeTree), are refused to a branch administrator.
	AdministerBranch = "administerbranch"
)

// wholeTree are the actions a branch administrator does not hold: settings, taxonomy,
// calendar, directory and the like that are not kept per branch, and the accountability
// records of the whole portal. The audit log they read filtered to their branch
// (storage.AuditFilter.Branch); mailboxes, sites, surveys and evaluations of their branch
// they manage under AdministerBranch (OwnsInBranch).
var wholeTree = map[string]bool{Administer: true, Accountability: true}

var actions = map[string][]string{
	Admin: {Tag, Reply, Note, Export, SeeContact, Administer, AdministerBranch, Transcribe, SeeIdentifiers, ReadAudit,
		Accountability},
	Reviewer:   {Tag, Reply, Note, Export, SeeContact, Transcribe},
	Discipline: {Tag, Reply, Note, Export, SeeContact, SeeIdentifiers, ReadAudit, Accountability},
	Supervisor: {Note, Export, SeeEvaluations, Transcribe},
	Liaison:    {Note, Transcribe},
	Leader:     nil,
	UnitHead:   {Note},
	DeptHead:   {Note},
	Monitor:    nil,
}

// WholePortal reports whether action is the whole portal's work, which a branch administrator
// never does (wholeTree).
func WholePortal(action string) bool { return wholeTree[action] }

// Can reports whether v may do action (on the opinions it can see).
func (v Viewer) Can(action string) bool {
	if v.Branch != "" && wholeTree[action] {
		return false // a branch administrator never does the whole portal's work
	}
	for _, a := range actions[v.Role] {
		if a == action {
			return true
		}
	}
	return false
}

// CanTranscribeChannel reports whether v may enter an item that arrived by channel (a
// vocab.Channels code that staff type in): the supervision group (督导组) enters its own
// findings alone, channel inspection (暗访 / 督导检查, feature 44); the others every such channel.
func (v Viewer) CanTranscribeChannel(channel string) bool {
	if !v.Can(Transcribe) || !vocab.Transcribed(channel) {
		return false
	}
	return v.Role != Supervisor || channel == vocab.InspectionChannel
}

// CanTranscribeFor reports whether v may enter a paper or phone item about unit: the office
// and the supervision group for any unit, a liaison only for their own.
func (v Viewer) CanTranscribeFor(unit string) bool {
	if !v.Can(Transcribe) || !v.InBranch(unit) {
		return false
	}
	if v.Role == Liaison {
		return v.Unit != "" && unit == v.Unit
	}
	return true
}

// CanMove reports whether v may move an opinion it can see from one status to another. The
// office (reviewers, admins, and discipline for 举报) moves everything; a liaison starts the
// work and reports it done; the supervision group does the look-back.
func (v Viewer) CanMove(from, to string) bool {
	if !lifecycle.CanMove(from, to) {
		return false
	}
	switch v.Role {
	case Admin, Reviewer, Discipline:
		return true
	case Liaison, UnitHead, DeptHead:
		return (from == lifecycle.Assigned && to == lifecycle.Rectifying) ||
			(from == lifecycle.Rectifying && to == lifecycle.Reported)
	case Supervisor:
		return from == lifecycle.Reported && to == lifecycle.LookBack ||
			from == lifecycle.LookBack && (to == lifecycle.Satisfaction || to == lifecycle.Rectifying)
	}
	return false
}

// Contact is a submitter's contact as v may read it, the same on every page and in every file
// (CSV, XLSX, ledger, print): as written for those who may reach the person (SeeContact), and
// "" for everyone else. The contact is the one thing a person gives so that the office can
// call back; masking it for those who call would defeat it, and showing it half to the others
// would still tell them who wrote.
func (v Viewer) Contact(contact string) string {
	if !v.Can(SeeContact) {
		return ""
	}
	return contact
}

// PublicText is text a member of the public wrote (an opinion, the words of a rating, a survey
// comment, an evaluation form) as v may read it, the same on every page and in every file: ID,
// phone, card and record numbers in it masked (redact) unless v holds SeeIdentifiers.
func (v Viewer) PublicText(text string) string {
	if v.Can(SeeIdentifiers) {
		return text
	}
	return redact.Mask(text)
}

// OmittedIn says in plain words, in the language of p, which opinions v never sees, for a
// figure that counts only what v may see (the 统计 sheet of the export, the satisfaction page):
// an administrator's counts leave out 举报, and the reader must be told, not left to guess that
// there were none.
func (v Viewer) OmittedIn(p *locale.Printer) string {
	switch v.Role {
	case Admin, Reviewer, Supervisor:
		return p.T("scope.office")
	case Discipline:
		return p.T("scope.discipline")
	case Liaison:
		return p.T("scope.liaison")
	case Leader:
		return p.T("scope.leader")
	case UnitHead:
		return p.T("scope.unit_head")
	case DeptHead:
		return p.T("scope.dept_head")
	case Monitor:
		return p.T("scope.monitor")
	}
	return ""
}

// Omitted is OmittedIn in the default language, zh-CN.
func (v Viewer) Omitted() string { return v.OmittedIn(locale.Get(locale.Default)) }

// CanSeeConduct reports whether v may read the conduct record (医德医风档案) of the 科室 dept
// of unit, once an administrator has turned the record on: those granted it, every
// department; a department head, their own.
func (v Viewer) CanSeeConduct(unit, dept string) bool {
	if v.ConductReader && v.Role != Monitor {
		return true
	}
	return v.Role == DeptHead && v.Unit != "" && v.Dept != "" && unit == v.Unit && dept == v.Dept
}

// ValidRole reports whether role is one of Roles.
func ValidRole(role string) bool { return lifecycle.ValidTerm(Roles, role) }

// ManagesAccount reports whether v may create or change the account of a staff member with
// role, unit, branch and linked units: an administrator of the whole tree, anyone's; a branch
// administrator only someone who sees no more than the branch: an administrator limited to a
// branch within it, someone of a unit in it, a leader or citizen supervisor all of whose units
// are in it. Never a reviewer, supervisor or discipline account, which read the whole tree.
func (v Viewer) ManagesAccount(role, unit, branch string, linked []string) bool {
	if !v.Can(AdministerBranch) {
		return false
	}
	if v.Branch == "" {
		return true
	}
	switch {
	case role == Admin:
		return branch != "" && v.InBranch(branch)
	case HasUnit(role):
		return unit != "" && v.InBranch(unit)
	case HasLinks(role):
		for _, u := range linked {
			if !v.InBranch(u) {
				return false
			}
		}
		return len(linked) > 0
	}
	return false
}
