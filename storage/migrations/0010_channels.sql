-- Collection channels (收集渠道): every opinion says how it reached the portal, so the monthly
-- figures count every channel. Web submissions default to 'web' (every opinion stored before
-- this migration came through the web form). Nothing here is about a device: a channel is a
-- kind of route (a box, a letter, a phone call), never a particular phone or terminal.
--   received_on: for an item staff transcribed from paper or a call, the day it arrived
--                (YYYY-MM-DD); '' for the web. created_on stays the day it was entered.
--   site:        free text, which box or place (e.g. 门诊大厅意见箱); a site registry comes later.
-- SQLite accepts ADD COLUMN with a CHECK when the default satisfies it.
ALTER TABLE opinions ADD COLUMN channel TEXT NOT NULL DEFAULT 'web'
    CHECK (channel IN ('web', 'qr', 'kiosk', 'box', 'letter', 'phone', 'sms', 'forum', 'visit',
                       'questionnaire', 'evaluation'));
ALTER TABLE opinions ADD COLUMN received_on TEXT NOT NULL DEFAULT ''
    CHECK (received_on = '' OR received_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');
ALTER TABLE opinions ADD COLUMN site TEXT NOT NULL DEFAULT '' CHECK (length(site) <= 50);
CREATE INDEX opinions_by_channel ON opinions (channel, created_on, id);
