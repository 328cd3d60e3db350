"""Commerce endpoints of the REST API."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commerce.selectors import order_status_list


class OrderStatusListApi(APIView):
    """Every order status with the states it is assigned to; custom statuses included."""

    class OutputSerializer(serializers.Serializer):
        class StateSerializer(serializers.Serializer):
            state = serializers.CharField(help_text="Order state code, e.g. processing.")
            state_label = serializers.CharField(source="get_state_display")
            is_default = serializers.BooleanField(
                help_text="The status orders get when they enter this state."
            )
            visible_on_front = serializers.BooleanField()

        id = serializers.IntegerField()
        code = serializers.CharField()
        label = serializers.CharField()
        states = StateSerializer(many=True)

    @extend_schema(
        operation_id="order_statuses_list",
        summary="List order statuses",
        description=(
            "Every Commerce order status, custom ones included, with the order states it "
            "is assigned to and whether it is that state's default. A small, unpaginated "
            "list; any logged-in user may read it."
        ),
        responses=OutputSerializer(many=True),
        tags=["order statuses"],
    )
    def get(self, request: Request) -> Response:
        return Response(self.OutputSerializer(order_status_list(), many=True).data)
