-- The director's mailbox was seeded saying it is read by "局活动办", the office's own name, which
-- a patient does not know. The public pages speak in public words (handlers/public_mailboxes.go
-- publicRoleNames); the seeded note follows them. A note the administrator has rewritten is theirs
-- and stays as it is.
UPDATE mailboxes SET readers_note = '由局长、局领导和卫生健康局意见办理人员阅读，交给负责的单位办理。'
WHERE code = 'director' AND readers_note = '由局长和局活动办阅读、交办。';
