package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"minsheng/access"
)

// bodyLimit caps a request body: 5,000 Chinese characters are 45 KB form-encoded, so 64 KB
// leaves room for every field while refusing floods early (bodyLimitBytes, refusals.go).
const bodyLimit = "64K"

// routes is the one table of every route, with the middleware order in one place.
//
// Order: before routing, HEAD is answered as GET without a body → recover from panics → log
// (method, route, status, duration: never address or agent) → security headers → compression
// (compress.go: which pages may be gzipped) → body limit (before anything parses a form; a
// public form's body is kept a little past it, to be given back; a form that takes files has
// its own limit, for its multipart posts alone: attachments.go) → form parsed once, malformed
// bodies refused → invisible characters out of every form value and query parameter → CSRF
// (cookie + form field, or the staff session's own token) → per-group: staff session. A refusal
// on a public form (403, 413, 429, 5xx) comes back as the form with the person's input: see
// refusals.go.
func (s *Server) routes(e *echo.Echo) {
	e.Pre(answerHead)
	e.Pre(s.pickLanguage) // /en/submit → /submit in English: see language.go
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisablePrintStack: true}))
	e.Use(s.logRequests)
	e.Use(s.securityHeaders)
	e.Use(s.compress) // gzip for pages without secrets next to others' input: see compress.go
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: bodyLimit, Skipper: skipBodyLimit}))
	e.Use(keepOversizeForms)
	e.Use(readForm)
	e.Use(cleanForms)
	e.Use(s.csrf)

	// Public: printed on posters, keep these URLs stable.
	e.GET("/", s.showHome)
	e.GET("/submit", s.showSubmitForm)
	e.POST("/submit", s.submitOpinion)
	// The receipt after POST /submit (303), kept a few minutes for Back and reload, never in the URL.
	e.GET("/submit/done", s.showReceipt)
	e.POST("/submit/done/forget", s.forgetReceipt)
	// A site's short address, printed on its poster and held by its QR code: on to the form.
	e.GET("/q/:code", s.openSitePoster)
	e.GET("/track", s.showTrackForm)
	e.POST("/track", s.trackOpinion)
	e.POST("/track/rate", s.rateOpinion)
	e.POST("/track/message", s.postSubmitterMessage) // an answer or an addition (public_thread.go)
	e.POST("/track/file", s.serveStaffFile)          // a file staff sent (public_thread_files.go)
	// 自助留言机: a lobby tablet's form for one registered site; these pages alone may run a
	// script (static/kiosk.js, which clears them between people: see public_kiosk.go).
	e.GET("/kiosk/:site", s.showKiosk)
	e.POST("/kiosk/:site", s.submitKiosk)
	e.GET("/gongshi", s.showGongshi)
	// A campaign's public page, and the 专栏: public items only (ScopePublic; no session here).
	e.GET("/gongshi/c/:id", s.showCampaignGongshi)
	e.GET("/zhuanlan", s.showZhuanlan)
	e.GET("/zhuanlan/:id", s.showZhuanlanItem)
	e.GET("/zhuanlan/:id/xlsx", s.downloadTaskListNotice) // a published task list as a workbook
	e.GET("/xinxiang", s.showMailboxesPublic)
	// 渠道与服务承诺 (features 13, 47): the phones, the e-mail address, the box sites, each unit's
	// liaison post and service commitments, as the administrators wrote them (public_directory.go).
	e.GET("/qudao", s.showDirectory)
	// 两方案一计划 (#14): a draft open for comment to the public, and its comment (an opinion, through
	// the pipeline of /submit); a plan published to the public.
	e.GET("/yijian/:id", s.showPlanForComment)
	e.POST("/yijian/:id", s.commentOnPlan)
	e.GET("/gongshi/plan/:id", s.showPublishedPlan)
	// A summary report's draft open for comment to the public (feature 63, report_comment.go).
	e.GET("/yijian/baogao/:id", s.showReportForComment)
	e.POST("/yijian/baogao/:id", s.commentOnReport)
	// 满意度测评: a patient answers a survey anonymously from a poster's link; no login.
	e.GET("/survey/:id", s.showSurvey)
	e.POST("/survey/:id", s.answerSurvey)
	e.GET("/survey/:id/done", s.showSurveyDone)
	// 民主评议表: an attendee types the one-time code from their slip (in the POST body, never
	// a URL); no login, no captcha: the single-use code is the gate.
	e.GET("/pingyi", s.showPingyi)
	e.POST("/pingyi", s.startPingyi)
	e.POST("/pingyi/answer", s.answerPingyi)
	e.GET("/pingyi/done", s.showPingyiDone)
	e.GET("/captcha/:file", s.serveCaptcha)
	// For monitors and load balancers: no device data is logged here either (health.go).
	e.GET("/healthz", s.health)
	e.GET("/readyz", s.ready)
	e.GET("/static/*", s.assets.serveStatic)
	e.GET("/favicon.ico", s.assets.serveFile("favicon.ico"))
	e.GET("/robots.txt", serveRobots)

	// Staff: everything under /admin. Login and the one-time setup link work without a session.
	e.GET("/admin/login", s.showLogin)
	e.POST("/admin/login", s.login)
	e.GET("/admin/setup/:token", s.showSetup)
	e.POST("/admin/setup/:token", s.setup)

	staff := e.Group("/admin", s.requireStaff)
	staff.POST("/logout", s.logout)
	staff.GET("", s.redirectToQueue)
	staff.GET("/", s.redirectToQueue)
	staff.GET("/inbox", s.showInbox) // 我的消息: my notifications, for every role
	staff.POST("/inbox/read", s.markRead)
	staff.GET("/notify/mine", s.showNotifyMine) // how I am told: e-mail, hourly digest, kinds × channels
	staff.POST("/notify/mine", s.saveNotifyMine)
	staff.GET("/profile", s.showProfile) // 我的设置: one's own language, for every role
	staff.POST("/profile", s.saveProfile)
	// 行风/社会监督员 (monitor.go): their own submissions and progress, the form, the 公示 of their
	// assigned units in more detail. requireStaff keeps a supervisor to these and the above
	// (monitorRoutes); each handler refuses every other role.
	staff.GET("/jiandu", s.showMonitorHome)
	staff.GET("/jiandu/submit", s.showMonitorSubmit)
	staff.POST("/jiandu/submit", s.submitMonitor)
	staff.GET("/jiandu/gongshi", s.showMonitorBoard)
	// Each opinion route names what the role must be allowed; itemAccess also hides opinions
	// the person may not see (举报 from all but 纪检, other units' work from a liaison…).
	// Which status moves a role may make is checked in setOpinionStatus.
	staff.GET("/queue", s.showQueue)
	// Bulk actions check each ticked opinion as itemAccess and setOpinionStatus would (role,
	// visibility, allowed move); saved filters belong to the person who saved them.
	staff.POST("/queue/bulk", s.bulkQueue)
	staff.POST("/filters", s.saveFilter)
	staff.POST("/filters/:id/delete", s.deleteFilter)
	staff.GET("/ledgers", s.showLedgers)
	staff.GET("/ledgers/export", s.exportLedgers, requireAction(access.Export))
	staff.GET("/overdue", s.showOverdue)
	staff.GET("/satisfaction", s.showSatisfaction)
	// 单位看板: a unit's last twelve months, warnings (预警) and 科室 ranking; which units each
	// role may open is stats.MayOpenDashboard (a leader its 联系点, a liaison its own unit).
	staff.GET("/dashboard", s.showDashboards)
	staff.GET("/dashboard/:unit", s.showDashboard)
	// Surveys (满意度测评): administrators build them; whoever may export reads the results.
	staff.GET("/surveys", s.showSurveys, requireAction(access.Export))
	staff.POST("/surveys", s.createSurvey, requireAction(access.AdministerBranch))
	staff.POST("/surveys/:id/thresholds", s.setSurveyThresholds, requireAction(access.AdministerBranch))
	staff.GET("/surveys/:id/qr.png", s.surveyQRCode, requireAction(access.Export))
	staff.GET("/surveys/:id", s.showSurveyResults, requireAction(access.Export))
	// 民主评议表: administrators create, print codes and close; the results are for the 督导组
	// alone (not even administrators, who see only how many codes were printed and used).
	staff.GET("/evaluations", s.showEvaluations, requireAnyAction(access.AdministerBranch, access.SeeEvaluations))
	staff.POST("/evaluations", s.createEvaluation, requireAction(access.AdministerBranch))
	staff.POST("/evaluations/:id/codes", s.issueEvaluationCodes, requireAction(access.AdministerBranch))
	staff.POST("/evaluations/:id/close", s.closeEvaluation, requireAction(access.AdministerBranch))
	staff.GET("/evaluations/:id", s.showEvaluationSummary, requireAction(access.SeeEvaluations))
	staff.GET("/evaluations/:id/export", s.exportEvaluation, requireAction(access.SeeEvaluations))
	staff.GET("/opinions/:id", s.showOpinion, s.itemAccess(""))
	staff.GET("/opinions/:id/sheet", s.showSheet, s.itemAccess("")) // 交办单, to print
	// Its files (#13), for whoever may open it; each reading audited (attachments.go).
	staff.GET("/opinions/:id/files/:file", s.serveAttachment, s.itemAccess(""))
	staff.POST("/opinions/:id/styles", s.tagOpinion, s.itemAccess(access.Tag))
	staff.POST("/opinions/:id/suggestions/accept", s.acceptSuggestion, s.itemAccess(access.Tag))
	staff.POST("/opinions/:id/classify", s.classifyOpinion, s.itemAccess(access.Tag))
	staff.POST("/opinions/:id/status", s.setOpinionStatus, s.itemAccess(""))
	staff.POST("/opinions/:id/reply", s.replyToOpinion, s.itemAccess(access.Reply))
	staff.POST("/opinions/:id/note", s.addNote, s.itemAccess(access.Note))
	staff.POST("/opinions/:id/messages", s.postThreadMessage, s.itemAccess("")) // to the submitter
	staff.POST("/opinions/:id/flags", s.flagOpinion, s.itemAccess(access.Tag))
	// 追责问责 records of an opinion marked 追责 (roles16.go): administrators and discipline, each
	// on the opinions they may open; the list of all of them in each reader's scope.
	staff.GET("/opinions/:id/accountability", s.showAccountability, s.itemAccess(access.Accountability))
	staff.POST("/opinions/:id/accountability", s.addAccountability, s.itemAccess(access.Accountability))
	staff.GET("/accountability", s.showAccountabilityList, requireAction(access.Accountability))
	// 医德医风档案 (roles16.go): off until an administrator turns it on; read by those granted it
	// by name (users.conduct) and by a department head for their own 科室; every reading audited.
	staff.GET("/conduct", s.showConduct)
	staff.POST("/conduct/enabled", s.setConductEnabled, requireAction(access.Administer))
	staff.POST("/opinions/:id/publish", s.publishOpinion, s.itemAccess(access.Tag))
	staff.POST("/opinions/:id/unpublish", s.unpublishOpinion, s.itemAccess(access.Tag))
	// Problems (问题): grouping and splitting need both ends openable and a role that moves
	// statuses (mayGroup, checked in the handlers); a problem's page shows what the person may open.
	staff.POST("/opinions/:id/problem/new", s.newProblem, s.itemAccess(""))
	staff.POST("/opinions/:id/problem/group", s.groupProblem, s.itemAccess(""))
	staff.POST("/opinions/:id/problem/leave", s.leaveProblem, s.itemAccess(""))
	staff.GET("/problems/:id", s.showProblem)
	staff.POST("/problems/:id/title", s.retitleProblem)
	staff.GET("/export", s.exportMonth, requireAction(access.Export))
	// The 专栏 as the signed-in reader may read it (campaign.CanRead: their unit's items, the
	// whole staff's, the public's); the 活动办 (admin, reviewer) publishes and withdraws, and
	// previews, prints and downloads the 整改任务书和时间表.
	staff.GET("/zhuanlan", s.showStaffZhuanlan)
	staff.GET("/zhuanlan/:id", s.showStaffZhuanlanItem)
	staff.GET("/zhuanlan/:id/xlsx", s.downloadTaskListNotice)
	staff.GET("/notices", s.showNotices, requirePublisher)
	staff.POST("/notices", s.publishNotice, requirePublisher)
	staff.POST("/notices/:id/withdraw", s.withdrawNotice, requirePublisher)
	staff.GET("/tasklist", s.showTaskList, requirePublisher)
	staff.GET("/tasklist/print", s.printTaskList, requirePublisher)
	staff.GET("/tasklist.xlsx", s.exportTaskList, requirePublisher)
	// 回头看 of a campaign (#14): the 督导组's review list (administrators, reviewers and the lead
	// units' liaisons read it too); causes and measures by the lead unit's liaison or a reviewer.
	// The campaign's figures per phase, beside the previous campaign's, for the roles that read
	// reports, each in their scope (checked in the handlers).
	staff.GET("/lookback", s.showLookBack)
	staff.POST("/lookback/:campaign", s.recordLookBack)
	staff.GET("/campaigns/:id/figures", s.showCampaignFigures)
	// 汇总报告 (#12): the archive, drafts (counted afresh each time they open), 签发 and the
	// frozen copies with their files. Who reads, drafts and issues which report is checked in
	// the handlers (mayReadReport, mayDraftReport, report.MayIssue): a liaison their own unit's,
	// leaders issued reports only, 纪检's version (with 举报) 纪检 alone.
	staff.GET("/reports", s.showReports)
	staff.GET("/reports/draft", s.showReportDraft)
	staff.POST("/reports/draft", s.saveReportDraft)
	staff.GET("/reports/draft.docx", s.downloadReportDraft("docx"))
	staff.GET("/reports/draft.xlsx", s.downloadReportDraft("xlsx"))
	staff.POST("/reports/issue", s.issueReport)
	staff.GET("/reports/:file", s.showIssuedReport) // NUMBER, NUMBER.docx, NUMBER.xlsx
	// A draft opened for comment (feature 63): the 活动办 opens and closes it (plan.RoleMay);
	// staff of its scope read it and comment, anonymously (report_consultation.go, report_comment.go).
	staff.POST("/reports/consultation", s.openReportComment)
	staff.POST("/reports/consultation/:id/close", s.closeReportComment)
	staff.GET("/reports/consultation/:id", s.showStaffReportComment)
	staff.POST("/reports/consultation/:id", s.staffCommentOnReport)
	// 两方案一计划 (#14): every role opens the plans plan.Visible lets it; the 活动办 drafts, edits
	// and takes its steps, the 督导组 approves or returns (plan.Next, checked in the handlers:
	// 403 for a step the role never takes, 409 for one it cannot take now). A draft open for
	// comment to staff is commented on here, anonymously, through the public form's pipeline.
	staff.GET("/plans", s.showPlans)
	staff.POST("/plans", s.createPlan)
	staff.GET("/plans/:id", s.showPlan)
	staff.POST("/plans/:id", s.editPlan)
	staff.POST("/plans/:id/step", s.stepPlan)
	staff.POST("/plans/:id/tasks", s.savePlanTask)
	staff.POST("/plans/:id/tasks/:seq/delete", s.removePlanTask)
	staff.GET("/plans/:id/comment", s.showStaffPlanComment)
	staff.POST("/plans/:id/comment", s.staffCommentOnPlan)
	// Typing in what arrived on paper or by phone; a liaison only for their own unit
	// (checked in transcribe against access.Viewer.CanTranscribeFor).
	staff.GET("/transcribe", s.showTranscribe, requireAction(access.Transcribe))
	staff.POST("/transcribe", s.transcribe, requireAction(access.Transcribe))
	// 座谈会 (feature 10): a meeting and the opinions raised at it, typed in one form and stored
	// together, by whoever may type in items of its channel (not the 督导组, whose findings are
	// its own channel); a liaison records and reads their own unit's alone (admin_symposia.go).
	staff.GET("/symposia", s.showSymposia, requireChannel(forumChannel))
	staff.GET("/symposia/new", s.showNewSymposium, requireChannel(forumChannel))
	staff.POST("/symposia", s.recordSymposium, requireChannel(forumChannel))
	staff.GET("/symposia/:id", s.showSymposium, requireChannel(forumChannel))
	// 征求意见表 (feature 16): the printable paper form of a unit or a site, for whoever types
	// the slips in (a liaison their own unit's); admin_paper.go.
	staff.GET("/paper", s.showPaperForms, requireChannel(paperChannel))
	staff.GET("/paper/unit/:code", s.showUnitPaperForm, requireChannel(paperChannel))
	staff.GET("/paper/site/:code", s.showSitePaperForm, requireChannel(paperChannel))
	// The public channel directory's text: administrators only (admin_directory.go).
	staff.GET("/qudao", s.showDirectoryAdmin, requireAction(access.Administer))
	staff.POST("/qudao", s.saveDirectoryContacts, requireAction(access.Administer))
	staff.POST("/qudao/units/:code", s.saveUnitDirectory, requireAction(access.Administer))
	// The unit tree (单位、科室): administrators only.
	staff.GET("/units", s.showUnits, requireAction(access.AdministerBranch))
	staff.POST("/units", s.addUnit, requireAction(access.AdministerBranch))
	staff.POST("/units/:code/rename", s.renameUnit, requireAction(access.AdministerBranch))
	staff.POST("/units/:code/active", s.setUnitActive, requireAction(access.AdministerBranch))
	staff.GET("/mailboxes", s.showMailboxes, requireAction(access.AdministerBranch))
	staff.POST("/mailboxes", s.addMailbox, requireAction(access.AdministerBranch))
	staff.POST("/mailboxes/:code", s.editMailbox, requireAction(access.AdministerBranch))
	staff.POST("/mailboxes/:code/active", s.setMailboxActive, requireAction(access.AdministerBranch))
	// Collection sites (意见箱) and their A4 posters: administrators; a branch administrator
	// those of their branch's units (mayOwn, admin_branch.go), as the mailboxes above.
	staff.GET("/sites", s.showSites, requireAction(access.AdministerBranch))
	staff.POST("/sites", s.addSite, requireAction(access.AdministerBranch))
	staff.POST("/sites/:code", s.editSite, requireAction(access.AdministerBranch))
	staff.POST("/sites/:code/active", s.setSiteActive, requireAction(access.AdministerBranch))
	staff.GET("/sites/:code/poster", s.showSitePoster, requireAction(access.AdministerBranch))
	staff.GET("/sites/:code/poster.svg", s.downloadSitePosterSVG, requireAction(access.AdministerBranch))
	staff.GET("/sites/:code/qr.png", s.downloadSiteQR, requireAction(access.AdministerBranch))
	// Campaigns (#14): administrators create and edit them (phases, units, questions, default
	// deadlines).
	staff.GET("/campaigns", s.showCampaigns, requireAction(access.Administer))
	staff.GET("/campaigns/new", s.showNewCampaign, requireAction(access.Administer))
	staff.POST("/campaigns", s.createCampaign, requireAction(access.Administer))
	staff.GET("/campaigns/:id", s.showCampaign, requireAction(access.Administer))
	staff.POST("/campaigns/:id", s.updateCampaign, requireAction(access.Administer))
	// Administration: staff accounts and the holiday calendar, for administrators only.
	staff.GET("/users", s.showUsers, requireAction(access.AdministerBranch))
	staff.POST("/users", s.addUser, requireAction(access.AdministerBranch))
	staff.POST("/users/:id/disable", s.disableUser, requireAction(access.AdministerBranch))
	staff.POST("/users/:id/enable", s.enableUser, requireAction(access.AdministerBranch))
	staff.POST("/users/:id/password", s.resetUserPassword, requireAction(access.AdministerBranch))
	staff.POST("/users/:id/links", s.setUserLinks, requireAction(access.AdministerBranch))
	staff.POST("/users/:id/conduct", s.setUserConduct, requireAction(access.AdministerBranch)) // 医德医风档案, granted by name
	staff.POST("/users/:id/branch", s.setUserBranch, requireAction(access.AdministerBranch))   // 管理范围 (#15, admin_branch.go)
	// 汇总梳理: the taxonomy of tags (administrators edit it) and the suggestion model.
	staff.GET("/taxonomy", s.showTaxonomy, requireAction(access.Administer))
	staff.POST("/taxonomy", s.addTag, requireAction(access.Administer))
	staff.POST("/taxonomy/:code", s.editTag, requireAction(access.Administer))
	staff.POST("/taxonomy/:code/retired", s.retireTag, requireAction(access.Administer))
	// The optional diagnostic family (feature 28) on or off as a whole (diagnostic_tags.go).
	staff.POST("/taxonomy-family", s.switchDiagnosticFamily, requireAction(access.Administer))
	staff.GET("/model", s.showModel, requireAnyAction(access.Administer, access.Tag))
	staff.POST("/model/retrain", s.retrainModel, requireAction(access.Administer))
	// The audit log (操作日志): administrators read every entry but those about 举报 and
	// discipline-mailbox letters, which discipline alone reads (storage.AuditFilter). Read
	// only: nothing in the portal edits or deletes an entry, and the database refuses it (0032).
	staff.GET("/audit", s.showAudit, requireAction(access.ReadAudit))
	staff.GET("/audit/export", s.exportAudit, requireAction(access.ReadAudit))
	staff.GET("/notify", s.showAdminNotify, requireAction(access.Administer)) // mail server, robots, defaults, failures
	staff.POST("/notify/smtp", s.saveSMTP, requireAction(access.Administer))
	staff.POST("/notify/robot", s.saveRobot, requireAction(access.Administer))
	staff.POST("/notify/defaults", s.saveRoleDefaults, requireAction(access.Administer))
	staff.POST("/notify/retry", s.retryDelivery, requireAction(access.Administer))
	staff.GET("/calendar", s.showCalendar, requireAction(access.Administer))
	staff.POST("/calendar", s.setCalendarDay, requireAction(access.Administer))
	staff.POST("/calendar/delete", s.deleteCalendarDay, requireAction(access.Administer))

	s.changesState = map[string]bool{}
	for _, r := range e.Routes() {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		default:
			s.changesState[r.Method+" "+r.Path] = true
		}
	}
}
