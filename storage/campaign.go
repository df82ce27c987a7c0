package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"minsheng/campaign"
)

// campaignCache keeps every campaign in memory: a handful, read on every form view and
// submission (which campaign an item arrives in, whether its questions are open), changed by
// the admin a few times a year. Changes made through this Store drop it at once; one made by
// another portal process bumps GenCampaigns and shows within GenerationsEvery; one made
// outside the portal, within unitsTTL.
type campaignCache struct {
	mu      sync.Mutex
	all     []campaign.Campaign
	gen     int64 // GenCampaigns when they were read
	expires time.Time
}

// SaveCampaign creates the campaign (c.ID 0) or replaces what it says (its name, phases, units,
// questions and default deadlines), and returns its id. c is normalized and must have no
// Problems (else ErrInvalid); a unit that does not exist is ErrInvalid too, an unknown id
// ErrNotFound. What already arrived in the campaign keeps it.
func (s *Store) SaveCampaign(ctx context.Context, actorID int64, c campaign.Campaign) (int64, error) {
	c.Normalize()
	if p := c.Problems(); len(p) > 0 {
		return 0, fmt.Errorf("campaign %q: %d problems: %w", c.Name, len(p), ErrInvalid)
	}
	err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		questions := strings.Join(c.Questions, "\n")
		action := "campaign_update"
		if c.ID == 0 {
			action = "campaign_create"
			err := tx.QueryRowContext(ctx, `
				INSERT INTO campaigns (name, questions, immediate_days, limited_days, created_on)
				VALUES (?, ?, ?, ?, ?) RETURNING id`, c.Name, questions, c.ImmediateDays, c.LimitedDays, now.Format(dateLayout)).Scan(&c.ID)
			if err != nil {
				return fmt.Errorf("create campaign: %w", err)
			}
		} else {
			res, err := tx.ExecContext(ctx, `
				UPDATE campaigns SET name = ?, questions = ?, immediate_days = ?, limited_days = ?
				WHERE id = ?`, c.Name, questions, c.ImmediateDays, c.LimitedDays, c.ID)
			if err != nil {
				return fmt.Errorf("update campaign %d: %w", c.ID, err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return fmt.Errorf("campaign %d: %w", c.ID, ErrNotFound)
			}
			for _, table := range []string{"campaign_units", "campaign_phases"} {
				if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE campaign_id = ?`, c.ID); err != nil {
					return err
				}
			}
		}
		for _, u := range c.Units {
			var known int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM units WHERE code = ?`, u).Scan(&known); err != nil {
				return err
			}
			if known == 0 {
				return fmt.Errorf("campaign unit %q: %w", u, ErrInvalid)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO campaign_units (campaign_id, unit_code) VALUES (?, ?) ON CONFLICT DO NOTHING`,
				c.ID, u); err != nil {
				return err
			}
		}
		for _, p := range c.Phases {
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO campaign_phases (campaign_id, seq, kind, name, starts_on, ends_on) VALUES (?, ?, ?, ?, ?, ?)`,
				c.ID, p.Seq, p.Kind, p.Name, p.StartsOn, p.EndsOn); err != nil {
				return fmt.Errorf("campaign phase %d: %w", p.Seq, err)
			}
		}
		if err := bump(ctx, tx, GenCampaigns); err != nil {
			return err
		}
		return audit(ctx, tx, now, actorID, action, "", fmt.Sprintf("%d %s %s…%s", c.ID, c.Name, c.StartsOn, c.EndsOn))
	})
	s.forgetCampaigns()
	if err != nil {
		return 0, err
	}
	return c.ID, nil
}

// Campaigns returns every campaign, the most recently started first. The slice is shared: do
// not modify it.
func (s *Store) Campaigns(ctx context.Context) ([]campaign.Campaign, error) {
	gen, genErr := s.Generation(ctx, GenCampaigns)
	s.campaigns.mu.Lock()
	defer s.campaigns.mu.Unlock()
	if s.campaigns.all != nil && (genErr != nil || gen == s.campaigns.gen) && time.Now().Before(s.campaigns.expires) {
		return s.campaigns.all, nil
	}
	all, err := s.loadCampaigns(ctx)
	if err != nil {
		return nil, err
	}
	s.campaigns.all, s.campaigns.gen, s.campaigns.expires = all, gen, time.Now().Add(unitsTTL)
	return all, nil
}

// Campaign returns one campaign, ErrNotFound if there is none with that id.
func (s *Store) Campaign(ctx context.Context, id int64) (campaign.Campaign, error) {
	all, err := s.Campaigns(ctx)
	if err != nil {
		return campaign.Campaign{}, err
	}
	for _, c := range all {
		if c.ID == id {
			return c, nil
		}
	}
	return campaign.Campaign{}, fmt.Errorf("campaign %d: %w", id, ErrNotFound)
}

// CampaignFor returns the campaign an item about unit arriving on day (YYYY-MM-DD) belongs to
// (campaign.For), and false if none runs then for that unit.
func (s *Store) CampaignFor(ctx context.Context, day, unit string) (campaign.Campaign, bool, error) {
	all, err := s.Campaigns(ctx)
	if err != nil {
		return campaign.Campaign{}, false, err
	}
	c, ok := campaign.For(all, day, unit)
	return c, ok, nil
}

// forgetCampaigns drops the cached campaigns; call it after changing them.
func (s *Store) forgetCampaigns() {
	s.campaigns.mu.Lock()
	s.campaigns.all = nil
	s.campaigns.mu.Unlock()
}

func (s *Store) loadCampaigns(ctx context.Context) ([]campaign.Campaign, error) {
	rows, err := s.read.QueryContext(ctx, `
		SELECT id, name, questions, immediate_days, limited_days, created_on FROM campaigns`)
	if err != nil {
		return nil, fmt.Errorf("list campaigns: %w", err)
	}
	byID := map[int64]*campaign.Campaign{}
	var order []int64
	for rows.Next() {
		var c campaign.Campaign
		var questions string
		if err := rows.Scan(&c.ID, &c.Name, &questions, &c.ImmediateDays, &c.LimitedDays, &c.CreatedOn); err != nil {
			rows.Close()
			return nil, err
		}
		if questions != "" {
			c.Questions = strings.Split(questions, "\n")
		}
		byID[c.ID] = &c
		order = append(order, c.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := eachRow(ctx, s.read, `SELECT campaign_id, seq, kind, name, starts_on, ends_on FROM campaign_phases ORDER BY campaign_id, seq`,
		func(r *sql.Rows) error {
			var id int64
			var p campaign.Phase
			if err := r.Scan(&id, &p.Seq, &p.Kind, &p.Name, &p.StartsOn, &p.EndsOn); err != nil {
				return err
			}
			if c := byID[id]; c != nil {
				c.Phases = append(c.Phases, p)
			}
			return nil
		}); err != nil {
		return nil, fmt.Errorf("campaign phases: %w", err)
	}
	if err := eachRow(ctx, s.read, `SELECT campaign_id, unit_code FROM campaign_units ORDER BY campaign_id, unit_code`,
		func(r *sql.Rows) error {
			var id int64
			var u string
			if err := r.Scan(&id, &u); err != nil {
				return err
			}
			if c := byID[id]; c != nil {
				c.Units = append(c.Units, u)
			}
			return nil
		}); err != nil {
		return nil, fmt.Errorf("campaign units: %w", err)
	}
	all := make([]campaign.Campaign, 0, len(order))
	for _, id := range order {
		c := byID[id]
		if n := len(c.Phases); n > 0 {
			c.StartsOn, c.EndsOn = c.Phases[0].StartsOn, c.Phases[n-1].EndsOn
		}
		all = append(all, *c)
	}
	campaign.SortNewestFirst(all) // as lists show them
	return all, nil
}

// eachRow runs query on db and calls fn for each row.
func eachRow(ctx context.Context, db *sql.DB, query string, fn func(*sql.Rows) error, args ...any) error {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// CampaignWindowClosed reports whether the campaign with id has its collection window closed
// on day: a survey or an evaluation of that campaign takes no answers then. No campaign (0, or
// one that no longer exists) closes nothing. Read from memory (the cached campaigns).
func (s *Store) CampaignWindowClosed(ctx context.Context, id int64, day string) (bool, error) {
	if id == 0 {
		return false, nil
	}
	all, err := s.Campaigns(ctx)
	if err != nil {
		return false, err
	}
	return windowClosed(all, id, day), nil
}

// windowClosed is CampaignWindowClosed on campaigns already read.
func windowClosed(all []campaign.Campaign, id int64, day string) bool {
	for _, c := range all {
		if c.ID == id {
			return !c.WindowOpen(day)
		}
	}
	return false
}

// knownCampaign is nil for no campaign (0) or one that exists, ErrInvalid otherwise.
func (s *Store) knownCampaign(ctx context.Context, id int64) error {
	if id == 0 {
		return nil
	}
	if _, err := s.Campaign(ctx, id); errors.Is(err, ErrNotFound) {
		return fmt.Errorf("campaign %d: %w", id, ErrInvalid)
	} else if err != nil {
		return err
	}
	return nil
}
