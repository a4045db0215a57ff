"""Operations: health probes, request logs with a request id, `flask doctor`.

Nothing here is a feature a member sees; it is what the people who run
Staffroom need to keep it up and to find out quickly why it is not.
"""
