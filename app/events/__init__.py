"""Events: connection calls, TweetMeets, meetups and webinars, with RSVPs, calendars and live rooms."""
