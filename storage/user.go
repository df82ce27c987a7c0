package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"minsheng/access"
)

// Staff roles most callers need by name; access.Roles lists them all.
const (
	RoleAdmin    = access.Admin
	RoleReviewer = access.Reviewer
)

// MinPasswordLength is the shortest staff password accepted, in characters.
const MinPasswordLength = 12

// maxPasswordBytes is bcrypt's limit; longer passwords are refused rather than cut silently.
const maxPasswordBytes = 72

var (
	// ErrBadLogin is the one answer to a failed login, whether the user exists or not.
	ErrBadLogin = errors.New("wrong username or password")
	// ErrWeakPassword means the password is too short or too long.
	ErrWeakPassword = fmt.Errorf("password must be %d to %d bytes", MinPasswordLength, maxPasswordBytes)
	// ErrBadToken means a setup link is unknown or already used.
	ErrBadToken = errors.New("setup link unknown or used")
)

// User is a staff member.
type User struct {
	ID       int64
	Username string
	Role     string
	Unit     string // a liaison's, unit head's or department head's unit
	Dept     string // a department head's 科室
	// Post and Badge are the person's post (岗位) and badge number (工号) in Unit, when given:
	// an opinion naming them is never shown to them (access.Viewer.NamedIn).
	Post, Badge string
	Linked      []string // a leader's linked units (联系点), a citizen supervisor's assigned units
	// ConductReader: granted the conduct record (医德医风档案) of every department.
	ConductReader bool
	Disabled      bool // cannot log in; set by an administrator
	// Lang is the language the person reads the staff pages in (a locale tag; "" is the
	// default language). Filled when a session is loaded (SessionUser).
	Lang string
	// Mailboxes are the codes of the mailboxes (信箱) u reads, by role or by name; filled
	// when a session is loaded (SessionUser).
	Mailboxes []string
	// Branch is the root unit of the branch an administrator is limited to, "" for the whole
	// tree; BranchUnits, its subtree, is filled when a session is loaded (SessionUser).
	Branch      string
	BranchUnits []string
}

// Viewer is what access decisions need to know about u.
func (u User) Viewer() access.Viewer {
	return access.Viewer{Role: u.Role, Unit: u.Unit, Dept: u.Dept, Linked: u.Linked, Mailboxes: u.Mailboxes,
		ConductReader: u.ConductReader, Post: u.Post, Badge: u.Badge, Branch: u.Branch, BranchUnits: u.BranchUnits}
}

// NewUser is a staff member to add. Unit is required for a liaison, a unit head and a
// department head and only for them (access.HasUnit), Dept for a department head and only for
// one; Linked is a leader's 联系点 or a citizen supervisor's assigned units (access.HasLinks)
// and ignored for other roles.
type NewUser struct {
	Username string
	Password string
	Role     string
	Unit     string
	Dept     string
	Linked   []string
	// Post and Badge: only for someone with a unit (access.HasUnit); the badge digits and
	// letters, at most 20, the post at most 40 characters.
	Post, Badge string
	// Branch: for an administrator only, the root unit of the branch they are limited to; ""
	// for the whole tree.
	Branch string
}

// IsAdmin reports whether u may administer the portal.
func (u User) IsAdmin() bool { return u.Role == RoleAdmin }

// hashPassword hashes a new password at the store's cost (Options.PasswordCost).
func (s *Store) hashPassword(password string) ([]byte, error) {
	return bcrypt.GenerateFromPassword([]byte(password), s.passwordCost)
}

// CheckPassword returns ErrWeakPassword unless p is acceptable.
func CheckPassword(p string) error {
	if utf8.RuneCountInString(p) < MinPasswordLength || len(p) > maxPasswordBytes {
		return ErrWeakPassword
	}
	return nil
}

// CreateUser adds a staff member whose role needs no unit (anything but a liaison).
// actorID is who did it (0 for the command line). A taken username is ErrConflict.
func (s *Store) CreateUser(ctx context.Context, actorID int64, username, password, role string) (User, error) {
	return s.CreateScopedUser(ctx, actorID, NewUser{Username: username, Password: password, Role: role})
}

// CreateScopedUser adds a staff member with their unit or linked units.
func (s *Store) CreateScopedUser(ctx context.Context, actorID int64, n NewUser) (User, error) {
	if err := n.check(); err != nil {
		return User{}, err
	}
	hash, err := s.hashPassword(n.Password)
	if err != nil {
		return User{}, err
	}
	var u User
	err = s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		var err error
		u, err = createUser(ctx, tx, now, actorID, n, hash)
		return err
	})
	return u, err
}

// check returns what is wrong with n before anything is hashed or written.
func (n NewUser) check() error {
	if username := strings.TrimSpace(n.Username); username == "" || utf8.RuneCountInString(username) > 40 {
		return errors.New("username must be 1 to 40 characters")
	}
	if !access.ValidRole(n.Role) {
		return fmt.Errorf("unknown role %q", n.Role)
	}
	if access.HasUnit(n.Role) != (n.Unit != "") {
		return fmt.Errorf("a liaison, unit head or department head needs a unit, and only they have one: %w", ErrInvalid)
	}
	if dept := strings.TrimSpace(n.Dept); (n.Role == access.DeptHead) != (dept != "") || utf8.RuneCountInString(dept) > 50 {
		return fmt.Errorf("a department head needs a department (at most 50 characters), and only they have one: %w", ErrInvalid)
	}
	post, badge := strings.TrimSpace(n.Post), strings.TrimSpace(n.Badge)
	if (post != "" || badge != "") && !access.HasUnit(n.Role) || utf8.RuneCountInString(post) > 40 || !validBadge(badge) {
		return fmt.Errorf("a post or badge only for someone with a unit, the badge digits and letters: %w", ErrInvalid)
	}
	if n.Branch != "" && n.Role != access.Admin {
		return fmt.Errorf("only an administrator is limited to a branch: %w", ErrInvalid)
	}
	return CheckPassword(n.Password)
}

// validBadge reports whether b is "" or at most 20 ASCII digits and letters (as opinions'
// target_badge).
func validBadge(b string) bool {
	if len(b) > 20 {
		return false
	}
	for _, r := range b {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') {
			return false
		}
	}
	return true
}

// createUser inserts n (already checked) with its password's hash. bcrypt is slow on purpose,
// so callers hash before taking the write lock.
func createUser(ctx context.Context, tx *sql.Tx, now time.Time, actorID int64, n NewUser, hash []byte) (User, error) {
	username, role, dept := strings.TrimSpace(n.Username), n.Role, strings.TrimSpace(n.Dept)
	var id int64
	err := tx.QueryRowContext(ctx,
		`INSERT INTO users (username, password_hash, role, unit_code, dept, post, badge, branch, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		username, string(hash), role, nullString(n.Unit), dept, strings.TrimSpace(n.Post), strings.TrimSpace(n.Badge),
		n.Branch, now.UTC().Format(timeLayout)).Scan(&id)
	if err != nil {
		return User{}, fmt.Errorf("add user %q: %w", username, mapError(err))
	}
	u := User{ID: id, Username: username, Role: role, Unit: n.Unit, Dept: dept, Post: strings.TrimSpace(n.Post),
		Badge: strings.TrimSpace(n.Badge), Branch: n.Branch}
	if n.Branch != "" {
		var err error
		if u.BranchUnits, err = subtree(ctx, tx, n.Branch); err != nil {
			return User{}, err
		}
	}
	if access.HasLinks(role) {
		for _, unit := range n.Linked {
			if _, err := tx.ExecContext(ctx, `INSERT INTO user_units (user_id, unit_code) VALUES (?, ?) ON CONFLICT DO NOTHING`,
				id, unit); err != nil {
				return User{}, fmt.Errorf("link %s to %q: %w", username, unit, mapError(err))
			}
			u.Linked = append(u.Linked, unit)
		}
	}
	detail := username + " (" + role + ")"
	if n.Branch != "" {
		detail = username + " (" + role + ", " + n.Branch + ")"
	}
	if err := auditUnit(ctx, tx, now, actorID, "user_add", accountUnit(u), detail); err != nil {
		return User{}, err
	}
	return u, nil
}

// Authenticate checks a username and password; it remembers nothing (AdmitLogin, which must
// come first, counts failures). Every failure is ErrBadLogin: a wrong password, an unknown user
// and a disabled account all look the same from outside, and take as long (an unknown user's
// password is compared with a dummy hash).
func (s *Store) Authenticate(ctx context.Context, username, password string) (User, error) {
	var u User
	var hash string
	var disabled bool
	err := s.read.QueryRowContext(ctx, `SELECT id, username, role, COALESCE(unit_code, ''), password_hash, disabled FROM users WHERE username = ?`,
		strings.TrimSpace(username)).Scan(&u.ID, &u.Username, &u.Role, &u.Unit, &hash, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		_ = bcrypt.CompareHashAndPassword(s.dummyHash, []byte(password))
		return User{}, ErrBadLogin
	}
	if err != nil {
		return User{}, err
	}
	if len(password) > maxPasswordBytes || bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil || disabled {
		return User{}, ErrBadLogin
	}
	return u, s.loadLinks(ctx, &u)
}

// loadLinks fills a leader's linked units.
func (s *Store) loadLinks(ctx context.Context, u *User) error {
	if !access.HasLinks(u.Role) {
		return nil
	}
	rows, err := s.read.QueryContext(ctx, `SELECT unit_code FROM user_units WHERE user_id = ? ORDER BY unit_code`, u.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return err
		}
		u.Linked = append(u.Linked, code)
	}
	return rows.Err()
}

// HasAdmin reports whether any administrator exists.
func (s *Store) HasAdmin(ctx context.Context) (bool, error) {
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE role = 'admin'`).Scan(&n)
	return n > 0, err
}

// CreateSetupToken stores the hash of a fresh one-time setup token and returns the token.
func (s *Store) CreateSetupToken(ctx context.Context) (string, error) {
	token := randomToken(32)
	err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO setup_tokens (token_hash, created_at) VALUES (?, ?)`,
			hashToken(token), now.UTC().Format(timeLayout))
		return err
	})
	return token, err
}

// SetupTokenValid reports whether token is an unused setup token.
func (s *Store) SetupTokenValid(ctx context.Context, token string) (bool, error) {
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM setup_tokens WHERE token_hash = ?`, hashToken(token)).Scan(&n)
	return n > 0, err
}

// UseSetupToken creates the first administrator with a setup token and spends every setup
// token, all in one transaction. An unknown or used token is ErrBadToken.
func (s *Store) UseSetupToken(ctx context.Context, token, username, password string) (User, error) {
	n := NewUser{Username: username, Password: password, Role: RoleAdmin}
	if err := n.check(); err != nil {
		return User{}, err
	}
	hash, err := s.hashPassword(password)
	if err != nil {
		return User{}, err
	}
	var u User
	err = s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM setup_tokens WHERE token_hash = ?`, hashToken(token))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrBadToken
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM setup_tokens`); err != nil {
			return err
		}
		u, err = createUser(ctx, tx, now, 0, n, hash)
		if err != nil {
			return err
		}
		return audit(ctx, tx, now, u.ID, "setup", "", "")
	})
	return u, err
}

func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}
