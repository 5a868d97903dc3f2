"""After the money: reports on the use of funds, the follow-up, statistics, open data and the archive (issue 13)."""
