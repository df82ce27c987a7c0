package storage

import (
	"context"
	"errors"
	"testing"

	"minsheng/campaign"
)

func spring2027() campaign.Campaign {
	return campaign.Campaign{
		Name:          "2027年春季“四风”问题征求意见活动",
		Units:         []string{"county-hospital"},
		Questions:     []string{" 您认为我院在形式主义方面有哪些突出问题？ ", ""},
		ImmediateDays: 5, LimitedDays: 30,
		Phases: []campaign.Phase{
			{Kind: campaign.Listen, StartsOn: "2027-03-07", EndsOn: "2027-03-31"},
			{Kind: campaign.Rectify, StartsOn: "2027-04-01", EndsOn: "2027-05-31"},
			{Kind: campaign.LookBack, StartsOn: "2027-06-01", EndsOn: "2027-06-15"},
			{Kind: campaign.Custom, Name: "通报", StartsOn: "2027-06-20", EndsOn: "2027-06-30"},
		},
	}
}

func TestSaveCampaignRoundTrip(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s, ctx := b.mustOpen(t), context.Background()
		admin := mustUser(t, s, "admin1", RoleAdmin, "")
		id, err := s.SaveCampaign(ctx, admin, spring2027())
		if err != nil {
			t.Fatal(err)
		}
		c, err := s.Campaign(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if c.StartsOn != "2027-03-07" || c.EndsOn != "2027-06-30" || len(c.Phases) != 4 || c.Phases[3].Name != "通报" ||
			c.Phases[3].Seq != 4 || len(c.Questions) != 1 || c.Questions[0] != "您认为我院在形式主义方面有哪些突出问题？" ||
			len(c.Units) != 1 || c.LookBackOn() != "2027-06-01" {
			t.Fatalf("read back %+v", c)
		}
		// Edit: the cache is dropped at once.
		c.Name, c.Units = "改名", nil
		c.Phases = c.Phases[:2]
		if _, err := s.SaveCampaign(ctx, admin, c); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Campaign(ctx, id)
		if got.Name != "改名" || len(got.Units) != 0 || got.EndsOn != "2027-05-31" {
			t.Fatalf("after edit %+v", got)
		}
		if in, ok, err := s.CampaignFor(ctx, "2027-04-02", "tcm-hospital"); err != nil || !ok || in.ID != id {
			t.Fatalf("CampaignFor = %v %v %v, want campaign %d (it covers every unit now)", in.ID, ok, err, id)
		}
		if _, ok, _ := s.CampaignFor(ctx, "2027-06-02", "county-hospital"); ok {
			t.Fatal("CampaignFor after the campaign's end found one")
		}
		if actions := auditActions(t, s, "campaign_create"); len(actions) != 1 {
			t.Errorf("campaign_create audited %d times, want 1", len(actions))
		}
		if actions := auditActions(t, s, "campaign_update"); len(actions) != 1 {
			t.Errorf("campaign_update audited %d times, want 1", len(actions))
		}
	})
}

func TestSaveCampaignRefuses(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s, ctx := b.mustOpen(t), context.Background()
		admin := mustUser(t, s, "admin1", RoleAdmin, "")
		tests := []struct {
			name string
			edit func(*campaign.Campaign)
			want error
		}{
			{"no name", func(c *campaign.Campaign) { c.Name = " " }, ErrInvalid},
			{"overlapping phases", func(c *campaign.Campaign) { c.Phases[1].StartsOn = "2027-03-31" }, ErrInvalid},
			{"unknown unit", func(c *campaign.Campaign) { c.Units = []string{"nowhere"} }, ErrInvalid},
			{"unknown id", func(c *campaign.Campaign) { c.ID = 999 }, ErrNotFound},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				c := spring2027()
				tt.edit(&c)
				if _, err := s.SaveCampaign(ctx, admin, c); !errors.Is(err, tt.want) {
					t.Fatalf("err = %v, want %v", err, tt.want)
				}
			})
		}
		if all, err := s.Campaigns(ctx); err != nil || len(all) != 0 {
			t.Fatalf("after refusals: %d campaigns, %v", len(all), err)
		}
	})
}
